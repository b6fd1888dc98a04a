; TwinDeck installer for Windows (NSIS 3), built from PyInstaller's one-folder bundle.
;
;   makensis /DVERSION=0.1.0 installer\twindeck.nsi
;
; Defines (all optional):
;   VERSION     the version shown and put in the file name (default 0.0.0)
;   BUNDLE_DIR  the bundle to install (default ..\dist\twindeck, from installer/twindeck.spec)
;   OUTFILE     the installer to write (default ..\dist\twindeck-VERSION-setup.exe)
;   COMPRESSOR  lzma (default, smallest), bzip2, zlib, or none (build_linux.sh's quick
;               stand-in compile against the Linux bundle)
;
; Installs for the current user (no administrator rights, %LOCALAPPDATA%\Programs) or for
; all users (Program Files), chosen on the first page or with /CurrentUser or /AllUsers
; on the command line (with /S for a silent install). Adds Start-menu shortcuts, an entry
; in "Installed apps" with an uninstaller, and opens .twinpkg incident packages with
; twindeck.exe --open "file".
;
; Relative paths are relative to this file's folder (makensis works from there).

Unicode true

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\dist\twindeck"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\twindeck-${VERSION}-setup.exe"
!endif
!ifndef COMPRESSOR
  !define COMPRESSOR "lzma"
!endif

!define APP_NAME "TwinDeck"
!define APP_EXE "twindeck.exe"
!define CLI_EXE "twindeck-cli.exe"
!define APP_KEY "Software\TwinDeck"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\TwinDeck"
!define PROG_ID "TwinDeck.IncidentPackage"
!define PACKAGE_EXT ".twinpkg"

!if "${COMPRESSOR}" == "none"
  SetCompress off
!else
  SetCompressor /SOLID ${COMPRESSOR}
!endif
Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

; -- install mode: per user or all users --------------------------------------------------
!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP_NAME}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallMode"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"

!include "MultiUser.nsh"
!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

; -- pages ---------------------------------------------------------------------------------
!define MUI_ICON "..\assets\icons\twindeck.ico"
!define MUI_UNICON "..\assets\icons\twindeck.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "MIT License"

; The bundle is 64-bit: refuse 32-bit Windows, and use the 64-bit registry view so the
; all-users entries land where 64-bit Windows looks for them.
!macro REQUIRE_X64
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME} needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
!macroend

Function .onInit
  !insertmacro REQUIRE_X64
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  !insertmacro REQUIRE_X64
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

; -- install -------------------------------------------------------------------------------
Section "${APP_NAME}" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An update replaces the old bundle wholesale: stale libraries must not linger.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Start menu (for this user or for all users, as MultiUser set the shell context).
  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" \
    "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME} self-test.lnk" "$SYSDIR\cmd.exe" \
    '/k ""$INSTDIR\${CLI_EXE}" --self-test"' "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\Uninstall ${APP_NAME}.lnk" \
    "$INSTDIR\uninstall.exe" "/$MultiUser.InstallMode"

  ; .twinpkg incident packages open in TwinDeck (SHCTX: HKCU or HKLM, per install mode).
  WriteRegStr SHCTX "Software\Classes\${PACKAGE_EXT}" "" "${PROG_ID}"
  WriteRegStr SHCTX "Software\Classes\${PACKAGE_EXT}" "Content Type" \
    "application/x-twindeck-package"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}" "" "TwinDeck incident package"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\DefaultIcon" "" "$INSTDIR\${APP_EXE},0"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\shell\open\command" "" \
    '"$INSTDIR\${APP_EXE}" --open "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)' ; SHCNE_ASSOCCHANGED

  ; Remembered for updates and for the uninstaller.
  WriteRegStr SHCTX "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${APP_KEY}" "InstallMode" "$MultiUser.InstallMode"
  WriteRegStr SHCTX "${APP_KEY}" "Version" "${VERSION}"

  ; "Installed apps" / "Programs and Features".
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" \
    '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" \
    '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; -- uninstall -----------------------------------------------------------------------------
Section "Uninstall"
  ; Only what the installer put there: $INSTDIR may be a folder the user chose and
  ; shares with other files. Recordings live in the user data folder and are kept.
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME} self-test.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\Uninstall ${APP_NAME}.lnk"
  RMDir "$SMPROGRAMS\${APP_NAME}"

  ; The association, unless another program has taken .twinpkg over since.
  ReadRegStr $0 SHCTX "Software\Classes\${PACKAGE_EXT}" ""
  ${If} $0 == "${PROG_ID}"
    DeleteRegKey SHCTX "Software\Classes\${PACKAGE_EXT}"
  ${EndIf}
  DeleteRegKey SHCTX "Software\Classes\${PROG_ID}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DeleteRegKey SHCTX "${APP_KEY}"
SectionEnd
