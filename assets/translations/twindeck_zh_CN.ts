<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlarmTableModel</name>
    <message>
        <location filename="../../app/alarms/common.py" line="+46" />
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+24" />
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location line="-23" />
        <source>Cleared, unacknowledged</source>
        <translation>已复位，未确认</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+22" />
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location line="-21" />
        <location line="+24" />
        <source>Out of service</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location line="-23" />
        <location line="+26" />
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <location line="-20" />
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location line="+1" />
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location line="+7" />
        <location filename="../../app/alarms/model.py" line="+92" />
        <source>Raised</source>
        <translation>触发</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cleared</source>
        <translation>已复位</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Acknowledgement undone</source>
        <translation>已撤销确认</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Unshelved</source>
        <translation>已取消搁置</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shelf expired</source>
        <translation>搁置到期</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Returned to service</source>
        <translation>已恢复投用</translation>
    </message>
    <message>
        <location line="+1" />
        <location filename="../../app/alarms/model.py" line="+7" />
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Suppression ended</source>
        <translation>抑制结束</translation>
    </message>
    <message>
        <location filename="../../app/alarms/model.py" line="-9" />
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+1" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Asset</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Signal</source>
        <translation>信号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Acknowledged by</source>
        <translation>确认人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shelved until</source>
        <translation>搁置至</translation>
    </message>
    <message>
        <location line="+264" />
        <source>In this state since %1</source>
        <translation>自 %1 起处于此状态</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Back to normal: leaves the list when you move away from it</source>
        <translation>已恢复正常：移开后将从列表中移除</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Acknowledged by %1 at %2</source>
        <translation>由 %1 于 %2 确认</translation>
    </message>
</context>
<context>
    <name>AlarmWiring</name>
    <message>
        <location filename="../../app/alarms/wiring.py" line="+127" />
        <source>Alarm journal</source>
        <translation>报警日志</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Alarm system health (EEMUA 191)</source>
        <translation>报警系统健康 (EEMUA 191)</translation>
    </message>
</context>
<context>
    <name>CoreText</name>
    <message>
        <location filename="../../app/core_text.py" line="+25" />
        <source>conveyor</source>
        <translation>输送机</translation>
    </message>
    <message>
        <location line="+1" />
        <source>elevator</source>
        <translation>电梯</translation>
    </message>
    <message>
        <location line="+1" />
        <source>extruder</source>
        <translation>挤出机</translation>
    </message>
    <message>
        <location line="+1" />
        <source>loom</source>
        <translation>织机</translation>
    </message>
    <message>
        <location line="+1" />
        <source>motor</source>
        <translation>电机</translation>
    </message>
    <message>
        <location line="+1" />
        <source>press</source>
        <translation>冲压机</translation>
    </message>
    <message>
        <location line="+1" />
        <source>pump</source>
        <translation>泵</translation>
    </message>
    <message>
        <location line="+1" />
        <source>robot</source>
        <translation>机器人</translation>
    </message>
    <message>
        <location line="+2" />
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1" />
        <source>maintenance required</source>
        <translation>需要维护</translation>
    </message>
    <message>
        <location line="+1" />
        <source>out of specification</source>
        <translation>超出规格</translation>
    </message>
    <message>
        <location line="+1" />
        <source>failure</source>
        <translation>故障</translation>
    </message>
    <message>
        <location line="+1" />
        <source>bearing</source>
        <translation>轴承</translation>
    </message>
    <message>
        <location line="+1" />
        <source>cooling</source>
        <translation>冷却</translation>
    </message>
    <message>
        <location line="+1" />
        <source>overload</source>
        <translation>过载</translation>
    </message>
    <message>
        <location line="+1" />
        <source>supply</source>
        <translation>供电</translation>
    </message>
    <message>
        <location line="+1" />
        <source>insulation</source>
        <translation>绝缘</translation>
    </message>
    <message>
        <location line="+1" />
        <source>sensor</source>
        <translation>传感器</translation>
    </message>
    <message>
        <location line="+1" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+1" />
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location line="+2" />
        <source>HH</source>
        <translation>高高</translation>
    </message>
    <message>
        <location line="+1" />
        <source>H</source>
        <translation>高</translation>
    </message>
    <message>
        <location line="+1" />
        <source>L</source>
        <translation>低</translation>
    </message>
    <message>
        <location line="+1" />
        <source>LL</source>
        <translation>低低</translation>
    </message>
    <message>
        <location line="+1" />
        <source>ROC</source>
        <translation>变化率</translation>
    </message>
    <message>
        <location line="+1" />
        <source>NO_DATA</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location line="+1" />
        <source>CONNECTION</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+2" />
        <source>vibration</source>
        <translation>振动</translation>
    </message>
    <message>
        <location line="+1" />
        <source>bearing_temp</source>
        <translation>轴承温度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>winding_temp</source>
        <translation>绕组温度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>current</source>
        <translation>电流</translation>
    </message>
    <message>
        <location line="+1" />
        <source>voltage</source>
        <translation>电压</translation>
    </message>
    <message>
        <location line="+1" />
        <source>residual</source>
        <translation>残差</translation>
    </message>
    <message>
        <location line="+2" />
        <location filename="../../app/scene/overlays.py" line="+44" />
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location line="+1" />
        <source>frozen</source>
        <translation>冻结</translation>
    </message>
    <message>
        <location line="+2" />
        <source>warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location line="+27" />
        <source>~%1 %2</source>
        <translation>约 %1 %2</translation>
    </message>
    <message>
        <location line="+3" />
        <source>min</source>
        <translation>分钟</translation>
    </message>
    <message>
        <location line="+1" />
        <source>h</source>
        <translation>小时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>d</source>
        <translation>天</translation>
    </message>
    <message>
        <location line="+1" />
        <source>s</source>
        <translation>秒</translation>
    </message>
    <message>
        <location line="+5" />
        <source>in alarm</source>
        <translation>已报警</translation>
    </message>
    <message>
        <location line="+3" />
        <source>alarm in %1</source>
        <translation>%1后报警</translation>
    </message>
    <message>
        <location line="+4" />
        <source>limit in %1</source>
        <translation>%1后达到限值</translation>
    </message>
    <message>
        <location line="+4" />
        <source>rising %1 %2 per hour</source>
        <translation>每小时上升 %1 %2</translation>
    </message>
    <message>
        <location line="+4" />
        <source>falling %1 %2 per hour</source>
        <translation>每小时下降 %1 %2</translation>
    </message>
    <message>
        <location line="+4" />
        <source>zone %1</source>
        <translation>%1 区</translation>
    </message>
    <message>
        <location line="+4" />
        <source>winding %1 K against its model</source>
        <translation>绕组温度较模型偏差 %1 K</translation>
    </message>
    <message>
        <location line="+4" />
        <source>%1 x rated current</source>
        <translation>%1 倍额定电流</translation>
    </message>
    <message>
        <location line="+4" />
        <source>voltage %1 above rating</source>
        <translation>电压高于额定值 %1</translation>
    </message>
    <message>
        <location line="+4" />
        <source>voltage %1 below rating</source>
        <translation>电压低于额定值 %1</translation>
    </message>
    <message>
        <location line="+5" />
        <source>winding %1 °C, %2 K under its class limit</source>
        <translation>绕组 %1 °C，低于绝缘等级限值 %2 K</translation>
    </message>
    <message>
        <location line="+6" />
        <source>winding %1 °C, %2 K over its class limit</source>
        <translation>绕组 %1 °C，高于绝缘等级限值 %2 K</translation>
    </message>
    <message>
        <location line="+6" />
        <source>vibration %1 mm/s zone %2 (%3)</source>
        <translation>振动 %1 mm/s，%2 区（%3）</translation>
    </message>
    <message>
        <location line="+5" />
        <source>%1 trend %2 %3</source>
        <translation>%1趋势 %2 %3</translation>
    </message>
    <message>
        <location line="+4" />
        <source>winding %1 °C (model %2)</source>
        <translation>绕组 %1 °C（模型 %2）</translation>
    </message>
    <message>
        <location line="+4" />
        <source>bearing %1 °C</source>
        <translation>轴承 %1 °C</translation>
    </message>
    <message>
        <location line="+4" />
        <source>current %1 x rated</source>
        <translation>电流为额定值的 %1 倍</translation>
    </message>
    <message>
        <location line="+4" />
        <source>voltage %1 V</source>
        <translation>电压 %1 V</translation>
    </message>
    <message>
        <location line="+4" />
        <source>%1 %2</source>
        <translation>%1%2</translation>
    </message>
    <message>
        <location line="+4" />
        <source>connection %1 lost: %2</source>
        <translation>连接 %1 中断：%2</translation>
    </message>
    <message>
        <location line="+4" />
        <source>connection %1 lost</source>
        <translation>连接 %1 中断</translation>
    </message>
    <message>
        <location line="+4" />
        <source>connection %1 back</source>
        <translation>连接 %1 已恢复</translation>
    </message>
    <message>
        <location line="+61" />
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location line="+0" />
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location line="+3" />
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>CycleLabels</name>
    <message>
        <location filename="../../app/scene/cycle_label_text.py" line="+75" />
        <source>last %1 / %2</source>
        <translation>上次 %1 / %2</translation>
    </message>
</context>
<context>
    <name>DockWindows</name>
    <message>
        <location filename="../../app/windows/detach.py" line="+142" />
        <source>Shown in a window of its own.</source>
        <translation>已在单独窗口中显示。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Re-attach</source>
        <translation>停靠回主窗口</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Re-attach %s</source>
        <translation>将%s停靠回主窗口</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Detach %s into its own window</source>
        <translation>将%s分离为单独窗口</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../../app/export/scene_export.py" line="+91" />
        <source>cannot write %s: %s</source>
        <translation>无法写入 %s：%s</translation>
    </message>
    <message>
        <location line="+39" />
        <source>video export needs the imageio-ffmpeg package; export a PNG sequence (choose a folder) instead</source>
        <translation>导出视频需要 imageio-ffmpeg 软件包；请改为导出 PNG 序列（选择一个文件夹）</translation>
    </message>
    <message>
        <location filename="../../app/export/video.py" line="+37" />
        <source>the recording did not deliver the data at %s in time</source>
        <translation>记录未能及时提供 %s 的数据</translation>
    </message>
    <message>
        <location line="+8" />
        <source>the data at %s could not be loaded</source>
        <translation>无法加载 %s 的数据</translation>
    </message>
    <message>
        <location line="+45" />
        <source>Exporting video…</source>
        <translation>正在导出视频…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+5" />
        <location line="+19" />
        <location line="+21" />
        <source>Export replay as video</source>
        <translation>将回放导出为视频</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Nothing has been recorded yet: there is nothing to export.</source>
        <translation>尚未记录任何数据：没有可导出的内容。</translation>
    </message>
</context>
<context>
    <name>ExportController</name>
    <message>
        <location filename="../../app/export/controller.py" line="+73" />
        <source>There is no recording or plant file to package.</source>
        <translation>没有可打包的记录或工厂文件。</translation>
    </message>
    <message>
        <location line="+26" />
        <source>Nothing is being recorded, so there is nothing to export.</source>
        <translation>当前未在记录，没有可导出的内容。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Nothing has been recorded yet.</source>
        <translation>尚未记录任何数据。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The time range is empty: its end is before its start.</source>
        <translation>时间范围为空：结束时间早于开始时间。</translation>
    </message>
    <message>
        <location line="+7" />
        <source>An export is already running.</source>
        <translation>已有导出正在进行。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The folder %s does not exist.</source>
        <translation>文件夹 %s 不存在。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Exporting to %s…</source>
        <translation>正在导出到 %s…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+19" />
        <source>The export failed: %s</source>
        <translation>导出失败：%s</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>FleetText</name>
    <message>
        <location filename="../../app/fleet/text.py" line="+49" />
        <source>health %1, %2</source>
        <translation>健康度 %1，%2</translation>
    </message>
    <message>
        <location line="+9" />
        <source>limit in %1</source>
        <translation>%1后达到限值</translation>
    </message>
</context>
<context>
    <name>HealthLegend</name>
    <message>
        <location filename="../../app/scene/overlays.py" line="+254" />
        <source>Health</source>
        <translation>健康度</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <location filename="../../app/alarms/journal_view.py" line="+74" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Asset</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Comment</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>LineText</name>
    <message>
        <location filename="../../app/line/panel.py" line="+41" />
        <source>cycle time (s)</source>
        <translation>节拍 (s)</translation>
    </message>
    <message>
        <location line="+8" />
        <source>parts</source>
        <translation>件数</translation>
    </message>
    <message>
        <location line="+32" />
        <location filename="../../app/scene/cycle_label_text.py" line="-24" />
        <source>bottleneck</source>
        <translation>瓶颈</translation>
    </message>
    <message>
        <location line="+28" />
        <source>hours into the shift</source>
        <translation>本班已过小时</translation>
    </message>
    <message>
        <location filename="../../app/line/text.py" line="+24" />
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location line="+9" />
        <source>%1 parts (%2 good)</source>
        <translation>%1 件（合格 %2）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>plan %1, %2 due by now</source>
        <translation>计划 %1，当前应完成 %2</translation>
    </message>
    <message>
        <location line="+10" />
        <source>cycle last %1 · median %2 · target %3</source>
        <translation>节拍 最近 %1 · 中位 %2 · 目标 %3</translation>
    </message>
    <message>
        <location line="+10" />
        <source>OEE %1  ·  availability %2 · performance %3 · quality %4</source>
        <translation>OEE %1  ·  可用率 %2 · 性能 %3 · 质量 %4</translation>
    </message>
    <message>
        <location line="+13" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location line="+8" />
        <source>slow cycles %1 min</source>
        <translation>节拍慢 %1 分钟</translation>
    </message>
    <message>
        <location line="+4" />
        <source>scrap %1 min</source>
        <translation>废品 %1 分钟</translation>
    </message>
    <message>
        <location line="+2" />
        <source>losses: %1</source>
        <translation>损失：%1</translation>
    </message>
    <message>
        <location line="+5" />
        <source>%1 kWh a part</source>
        <translation>每件 %1 kWh</translation>
    </message>
    <message>
        <location line="+1" />
        <source>%1 parts/h</source>
        <translation>%1 件/小时</translation>
    </message>
</context>
<context>
    <name>Marking</name>
    <message>
        <location filename="../../app/training/marking.py" line="+61" />
        <source>Mark answers</source>
        <translation>评分答案</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Save marks</source>
        <translation>保存评分</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Marked by:</source>
        <translation>评分人：</translation>
    </message>
    <message>
        <location line="+16" />
        <source>not marked</source>
        <translation>未评分</translation>
    </message>
    <message>
        <location line="+3" />
        <source> / %1 points</source>
        <translation> / %1 分</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Optional comment for the trainee</source>
        <translation>给学员的评语（可选）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Answer:</source>
        <translation>答案：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Points:</source>
        <translation>得分：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Comment:</source>
        <translation>评语：</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Say who marks the answers.</source>
        <translation>请填写评分人。</translation>
    </message>
    <message>
        <location line="+25" />
        <source>This session has no free-text answer to mark.</source>
        <translation>此次培训没有需要评分的自由作答。</translation>
    </message>
    <message>
        <location line="+36" />
        <location line="+100" />
        <source>Mark answers…</source>
        <translation>评分答案…</translation>
    </message>
    <message>
        <location line="-97" />
        <source>Save report…</source>
        <translation>保存报告…</translation>
    </message>
    <message>
        <location line="+24" />
        <source>to mark</source>
        <translation>待评分</translation>
    </message>
    <message>
        <location line="+35" />
        <source>Save report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <location line="+2" />
        <source>PDF (*.pdf);;HTML (*.html)</source>
        <translation>PDF (*.pdf);;HTML (*.html)</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Report saved: %1</source>
        <translation>报告已保存：%1</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Not found.</source>
        <translation>未找到此次培训记录。</translation>
    </message>
</context>
<context>
    <name>Navigator</name>
    <message>
        <location filename="../../app/navigation/navigator.py" line="+59" />
        <source>&amp;Back</source>
        <translation>后退(&amp;B)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Forward</source>
        <translation>前进(&amp;F)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Up one level</source>
        <translation>上一级(&amp;U)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Back to the previous display (Alt+Left)</source>
        <translation>后退到上一个画面 (Alt+Left)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Forward to the next display (Alt+Right)</source>
        <translation>前进到下一个画面 (Alt+Right)</translation>
    </message>
</context>
<context>
    <name>Operator</name>
    <message>
        <location filename="../../app/alarms/operator.py" line="+73" />
        <source>Operator: not signed in (acting as %1)</source>
        <translation>操作员：未登录（以 %1 身份操作）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Operator: %1</source>
        <translation>操作员：%1</translation>
    </message>
</context>
<context>
    <name>QtAdvisoryPanel</name>
    <message>
        <location filename="../../app/fleet/advisories.py" line="+58" />
        <source>Since</source>
        <translation>起始时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Asset</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Severity</source>
        <translation>严重度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>What the monitor sees</source>
        <translation>监测发现</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Early warnings of the health monitor: no horn, nothing to acknowledge</source>
        <translation>健康监测的早期预警：无声响，无需确认</translation>
    </message>
    <message numerus="yes">
        <location line="+40" />
        <source>%n advisory(ies) standing</source>
        <translation>
            <numerusform>%n 条预警未消除</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>No advisories: every monitored asset looks healthy</source>
        <translation>无预警：所有受监测设备状态良好</translation>
    </message>
</context>
<context>
    <name>QtAlarmActionBar</name>
    <message>
        <location filename="../../app/alarms/action_bar.py" line="+29" />
        <source>Acknowledge selected</source>
        <translation>确认所选</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Acknowledge the selected alarms (%1)</source>
        <translation>确认所选报警 (%1)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Acknowledge all visible</source>
        <translation>确认全部可见报警</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Undo acknowledge</source>
        <translation>撤销确认</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Make the selected acknowledged alarms unacknowledged again (a correction)</source>
        <translation>将所选已确认报警恢复为未确认（更正）</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Comment…</source>
        <translation>备注…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Out of service / Return</source>
        <translation>停用 / 恢复投用</translation>
    </message>
    <message>
        <location line="+20" />
        <source>15 minutes…</source>
        <translation>15 分钟…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>1 hour…</source>
        <translation>1 小时…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>8 hours…</source>
        <translation>8 小时…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Until…</source>
        <translation>直到…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Unshelve</source>
        <translation>取消搁置</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shelve…</source>
        <translation>搁置…</translation>
    </message>
</context>
<context>
    <name>QtAlarmBanner</name>
    <message>
        <location filename="../../app/alarms/banner.py" line="+61" />
        <source>Unacknowledged alarms by priority; click to open the list</source>
        <translation>按优先级统计的未确认报警；点击打开列表</translation>
    </message>
    <message>
        <location line="+14" />
        <source>◀ Looking back — End: back to live</source>
        <translation>◀ 正在回看 — End：返回实时</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The views show the past; the alarm counts here are live. Back to live (End)</source>
        <translation>视图显示的是过去；此处报警计数为实时值。返回实时 (End)</translation>
    </message>
    <message>
        <location line="+8" />
        <location line="+79" />
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <location line="-77" />
        <source>Silence the alarm tone</source>
        <translation>关闭报警声</translation>
    </message>
    <message>
        <location line="+50" />
        <source>No unacknowledged alarms</source>
        <translation>无未确认报警</translation>
    </message>
    <message>
        <location line="+2" />
        <source> (cleared)</source>
        <translation>（已复位）</translation>
    </message>
    <message>
        <location line="+16" />
        <source>no area</source>
        <translation>无区域</translation>
    </message>
    <message numerus="yes">
        <location line="+4" />
        <source>%n more area(s)</source>
        <translation>
            <numerusform>另有 %n 个区域</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1" />
        <source>Flood: %1 alarms</source>
        <translation>报警泛滥：%1 条</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Muted</source>
        <translation>已静音</translation>
    </message>
</context>
<context>
    <name>QtAlarmFilterBar</name>
    <message>
        <location filename="../../app/alarms/filter_bar.py" line="+22" />
        <location line="+53" />
        <source>All areas</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <location line="-48" />
        <source>All priorities</source>
        <translation>全部优先级</translation>
    </message>
    <message>
        <location line="+9" />
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Active</source>
        <translation>活动</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Out of service</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Search alarms</source>
        <translation>搜索报警</translation>
    </message>
</context>
<context>
    <name>QtAlarmTable</name>
    <message>
        <location filename="../../app/alarms/table.py" line="+146" />
        <source>Acknowledge selected alarms</source>
        <translation>确认所选报警</translation>
    </message>
    <message>
        <location line="+67" />
        <source>Looking back: alarms at %1</source>
        <translation>回看：%1 时的报警</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Replay: alarms at %1</source>
        <translation>回放：%1 时的报警</translation>
    </message>
    <message numerus="yes">
        <location line="+63" />
        <location line="+10" />
        <source>Acknowledged %n alarm(s)</source>
        <translation>
            <numerusform>已确认 %n 条报警</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+17" />
        <source>Acknowledgement undone for %n alarm(s)</source>
        <translation>
            <numerusform>已撤销 %n 条报警的确认</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+19" />
        <source>Shelved %n alarm(s)</source>
        <translation>
            <numerusform>已搁置 %n 条报警</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+7" />
        <source>Unshelved %n alarm(s)</source>
        <translation>
            <numerusform>已取消搁置 %n 条报警</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+7" />
        <source>Commented %n alarm(s)</source>
        <translation>
            <numerusform>已为 %n 条报警添加备注</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+12" />
        <source>Returned %n alarm(s) to service</source>
        <translation>
            <numerusform>已恢复投用 %n 条报警</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5" />
        <source>Took %n alarm(s) out of service</source>
        <translation>
            <numerusform>已停用 %n 条报警</numerusform>
        </translation>
    </message>
    <message>
        <location line="+27" />
        <source>correction</source>
        <translation>更正</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Undo acknowledge</source>
        <translation>撤销确认</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Acknowledged more than %1 min ago. Why undo it?</source>
        <translation>确认已超过 %1 分钟。为何撤销？</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Not undone: a reason is needed</source>
        <translation>未撤销：需要填写原因</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Comment on the selected alarms:</source>
        <translation>为所选报警添加备注：</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Out of service / Return</source>
        <translation>停用 / 恢复投用</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message numerus="yes">
        <location line="+19" />
        <source>Order held while you work: %n new alarm(s) at the end</source>
        <translation>
            <numerusform>操作期间保持顺序：%n 条新报警在末尾</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QtAssetTree</name>
    <message>
        <location filename="../../app/views/asset_tree.py" line="+37" />
        <source>Filter assets (Ctrl+F)</source>
        <translation>筛选设备 (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Asset</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message numerus="yes">
        <location line="+19" />
        <source>%n signal(s)</source>
        <translation>
            <numerusform>%n 个信号</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QtBreadcrumb</name>
    <message>
        <location filename="../../app/navigation/breadcrumb.py" line="+89" />
        <source>Up to %s</source>
        <translation>返回%s</translation>
    </message>
    <message>
        <location line="+10" />
        <source>the plant overview</source>
        <translation>全厂总览</translation>
    </message>
    <message>
        <location line="+1" />
        <source>the area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location line="+1" />
        <source>the unit</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+1" />
        <source>the signal detail</source>
        <translation>信号详情</translation>
    </message>
</context>
<context>
    <name>QtConnectionsPanel</name>
    <message>
        <location filename="../../app/views/connections_panel.py" line="+56" />
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+0" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Msg/s</source>
        <translation>消息/秒</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Last data</source>
        <translation>最近数据</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Live connections to the plant and the data they deliver</source>
        <translation>与工厂的实时连接及其提供的数据</translation>
    </message>
    <message>
        <location line="+59" />
        <source>last error %s: %s</source>
        <translation>最近错误 %s：%s</translation>
    </message>
    <message numerus="yes">
        <location line="+21" />
        <source>%n bad messages</source>
        <translation>
            <numerusform>%n 条错误消息</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>%n unbound</source>
        <translation>
            <numerusform>%n 个未绑定</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6" />
        <source>bad data</source>
        <translation>数据错误</translation>
    </message>
    <message>
        <location line="+1" />
        <source>not bound</source>
        <translation>未绑定</translation>
    </message>
</context>
<context>
    <name>QtCycleLabels</name>
    <message>
        <location filename="../../app/scene/cycle_labels_install.py" line="+28" />
        <source>C&amp;ycle labels</source>
        <translation>节拍标签(&amp;Y)</translation>
    </message>
</context>
<context>
    <name>QtDetachedWindow</name>
    <message>
        <location filename="../../app/windows/detach.py" line="-109" />
        <source>&amp;Window</source>
        <translation>窗口(&amp;W)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Re-attach to the main window</source>
        <translation>停靠回主窗口(&amp;R)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Move to &amp;screen</source>
        <translation>移到屏幕(&amp;S)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
</context>
<context>
    <name>QtExpectationTable</name>
    <message>
        <location filename="../../app/training/expectations.py" line="+35" />
        <source>acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location line="+1" />
        <source>shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location line="+1" />
        <source>select</source>
        <translation>选择</translation>
    </message>
    <message>
        <location line="+1" />
        <source>bookmark</source>
        <translation>书签</translation>
    </message>
    <message>
        <location line="+1" />
        <source>comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+49" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Within (s)</source>
        <translation>时限（秒）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Points</source>
        <translation>分值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Forbidden</source>
        <translation>禁止</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Acknowledge alarm</source>
        <translation>确认报警</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Select asset</source>
        <translation>选择设备</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Bookmark with comment</source>
        <translation>添加带备注的书签</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Shelve nothing</source>
        <translation>不得搁置</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+44" />
        <source>Expected action %s (%s) needs a target: an alarm or an asset.</source>
        <translation>期望的操作 %s（%s）需要对象：报警或设备。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Expected action %s: “%s” is not a time limit.</source>
        <translation>期望的操作 %s：“%s”不是有效的时限。</translation>
    </message>
</context>
<context>
    <name>QtExportDialog</name>
    <message>
        <location filename="../../app/export/dialog.py" line="+38" />
        <source>Export recorded data</source>
        <translation>导出记录数据</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Signals of %s</source>
        <translation>%s 的信号</translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>All %n signals</source>
        <translation>
            <numerusform>全部 %n 个信号</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Signals</source>
        <translation>信号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Time range</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location line="+1" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
</context>
<context>
    <name>QtFleetMap</name>
    <message>
        <location filename="../../app/fleet/map.py" line="+63" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>QtFleetModel</name>
    <message>
        <location filename="../../app/fleet/model.py" line="+27" />
        <source>Asset</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Health</source>
        <translation>健康度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>NE 107 status</source>
        <translation>NE 107 状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Limit in</source>
        <translation>距限值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
</context>
<context>
    <name>QtFleetPanel</name>
    <message>
        <location filename="../../app/fleet/panel.py" line="+75" />
        <source>All areas</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <location line="+4" />
        <source>All causes</source>
        <translation>全部原因</translation>
    </message>
    <message>
        <location line="+77" />
        <source>%s of %s assets</source>
        <translation>%s / %s 台设备</translation>
    </message>
</context>
<context>
    <name>QtHealthReport</name>
    <message>
        <location filename="../../app/alarms/health_view.py" line="+68" />
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Alarms annunciated</source>
        <translation>已通告报警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Average per 10 min</source>
        <translation>每 10 分钟平均</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Peak in 10 min</source>
        <translation>10 分钟峰值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Time in flood</source>
        <translation>报警泛滥时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Chattering alarms</source>
        <translation>振荡报警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Standing alarms</source>
        <translation>长期报警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Priority mix</source>
        <translation>优先级分布</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Operator actions</source>
        <translation>操作员操作</translation>
    </message>
    <message>
        <location line="+8" />
        <source>alarms per 10 min</source>
        <translation>条报警/10 分钟</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Top 10</source>
        <translation>前 10 名</translation>
    </message>
    <message>
        <location line="+0" />
        <location line="+3" />
        <location line="+3" />
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location line="-6" />
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Chattering</source>
        <translation>振荡</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Activations</source>
        <translation>触发次数</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Most in 1 min</source>
        <translation>1 分钟内最多</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Standing</source>
        <translation>长期</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Since</source>
        <translation>起始时间</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Hours</source>
        <translation>小时数</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Floods</source>
        <translation>泛滥</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+0" />
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Main contributors</source>
        <translation>主要来源</translation>
    </message>
    <message>
        <location line="+20" />
        <source>very likely acceptable</source>
        <translation>很可能可以接受</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+7" />
        <source>manageable</source>
        <translation>可以应对</translation>
    </message>
    <message>
        <location line="-5" />
        <source>likely to be over-demanding</source>
        <translation>可能负担过重</translation>
    </message>
    <message>
        <location line="+1" />
        <source>very likely to be unacceptable</source>
        <translation>很可能无法接受</translation>
    </message>
    <message>
        <location line="+6" />
        <source>hard to cope with</source>
        <translation>难以应对</translation>
    </message>
    <message>
        <location line="+1" />
        <source>excessive</source>
        <translation>过多</translation>
    </message>
    <message>
        <location line="+15" />
        <source>The time range is empty.</source>
        <translation>时间范围为空。</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Could not compute: %1</source>
        <translation>无法计算：%1</translation>
    </message>
    <message>
        <location line="+11" />
        <source>%1 (%2 activations)</source>
        <translation>%1（触发 %2 次）</translation>
    </message>
    <message numerus="yes">
        <location line="+9" />
        <source>%1 % (%n flood(s))</source>
        <translation>
            <numerusform>%1 %（%n 次泛滥）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QtIncidentNotes</name>
    <message>
        <location filename="../../app/compose/package.py" line="+105" />
        <source>Hide the notes (Help &gt; About this incident shows them again)</source>
        <translation>隐藏说明（帮助 &gt; 关于此事件 可再次显示）</translation>
    </message>
    <message>
        <location line="+12" />
        <source>%s to %s · plant %s · exported %s by TwinDeck %s</source>
        <translation>%s 至 %s · 工厂 %s · 导出于 %s · TwinDeck %s</translation>
    </message>
    <message>
        <location line="+11" />
        <source>About this incident</source>
        <translation>关于此事件</translation>
    </message>
    <message>
        <location line="+23" />
        <source>About this &amp;incident…</source>
        <translation>关于此事件(&amp;I)…</translation>
    </message>
</context>
<context>
    <name>QtJournalView</name>
    <message>
        <location filename="../../app/alarms/journal_view.py" line="+64" />
        <source>All priorities</source>
        <translation>全部优先级</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location line="+1" />
        <source>High and above</source>
        <translation>高及以上</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Medium and above</source>
        <translation>中及以上</translation>
    </message>
    <message>
        <location line="+2" />
        <source>All events</source>
        <translation>全部事件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Raised</source>
        <translation>触发</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Operator actions</source>
        <translation>操作员操作</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Search alarm, asset, user, comment</source>
        <translation>搜索报警、设备、用户、备注</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location line="+67" />
        <location line="+29" />
        <source>The time range is empty.</source>
        <translation>时间范围为空。</translation>
    </message>
    <message numerus="yes">
        <location line="-21" />
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n 个事件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source> (the first %1; export to see all)</source>
        <translation>（前 %1 个；导出可查看全部）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Export alarm journal</source>
        <translation>导出报警日志</translation>
    </message>
    <message>
        <location line="+0" />
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+9" />
        <source>An export is already running.</source>
        <translation>已有导出正在进行。</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Exported %1 events to %2</source>
        <translation>已导出 %1 个事件到 %2</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>QtLanguageMenu</name>
    <message>
        <location filename="../../app/views/language_menu.py" line="+15" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+20" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The language changes the next time TwinDeck starts.</source>
        <translation>语言将在 TwinDeck 下次启动时更改。</translation>
    </message>
</context>
<context>
    <name>QtLayoutsMenu</name>
    <message>
        <location filename="../../app/workspace/menu.py" line="+25" />
        <source>La&amp;youts</source>
        <translation>布局(&amp;Y)</translation>
    </message>
    <message>
        <location line="+8" />
        <source>&amp;Save layout as…</source>
        <translation>布局另存为(&amp;S)…</translation>
    </message>
    <message>
        <location line="+8" />
        <source>(no saved layouts)</source>
        <translation>(尚无已保存的布局)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Delete layout…</source>
        <translation>删除布局(&amp;D)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Export layout…</source>
        <translation>导出布局(&amp;E)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Import layout…</source>
        <translation>导入布局(&amp;I)…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Reset to default layout</source>
        <translation>恢复默认布局(&amp;R)</translation>
    </message>
    <message>
        <location line="+9" />
        <location line="+15" />
        <source>Save layout</source>
        <translation>保存布局</translation>
    </message>
    <message>
        <location line="-15" />
        <source>Layout name:</source>
        <translation>布局名称：</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The layout could not be saved: %s</source>
        <translation>无法保存布局：%s</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Replace the layout %s?</source>
        <translation>替换布局 %s？</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Delete layout</source>
        <translation>删除布局</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Layout:</source>
        <translation>布局：</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Export layout</source>
        <translation>导出布局</translation>
    </message>
    <message>
        <location line="+2" />
        <source>TwinDeck layouts (*.json)</source>
        <translation>TwinDeck 布局 (*.json)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The layout could not be written: %s</source>
        <translation>无法写入布局：%s</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Import layout</source>
        <translation>导入布局</translation>
    </message>
    <message>
        <location line="+2" />
        <source>TwinDeck layouts (*.json);;All files (*)</source>
        <translation>TwinDeck 布局 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+19" />
        <location line="+5" />
        <source>Layouts</source>
        <translation>布局</translation>
    </message>
    <message>
        <location line="-4" />
        <source>Layout %s applied, except:</source>
        <translation>已应用布局 %s，以下各项除外：</translation>
    </message>
</context>
<context>
    <name>QtMainWindow</name>
    <message>
        <location filename="../../app/compose/run.py" line="+158" />
        <source>Simulated %s s</source>
        <translation>已模拟 %s 秒</translation>
    </message>
    <message>
        <location line="+44" />
        <source>● LIVE · simulator</source>
        <translation>● 实时 · 模拟器</translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>● LIVE · %n connection(s)</source>
        <translation>
            <numerusform>● 实时 · %n 个连接</numerusform>
        </translation>
    </message>
    <message>
        <location line="+56" />
        <source>REPLAY · %s</source>
        <translation>回放 · %s</translation>
    </message>
    <message>
        <location filename="../../app/fleet/export.py" line="+15" />
        <source>Export maintenance list</source>
        <translation>导出维护清单</translation>
    </message>
    <message>
        <location line="+5" />
        <source>There is no fleet health at the cursor yet.</source>
        <translation>光标处尚无设备群健康数据。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Could not write %s: %s</source>
        <translation>无法写入 %s：%s</translation>
    </message>
    <message>
        <location filename="../../app/views/main_window.py" line="+55" />
        <source>TwinDeck — %s</source>
        <translation>TwinDeck — %s</translation>
    </message>
    <message>
        <location line="+46" />
        <source>Plant</source>
        <translation>工厂</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Values</source>
        <translation>数值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Timeline</source>
        <translation>时间轴</translation>
    </message>
    <message>
        <location line="+16" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save 3D &amp;view as PNG…</source>
        <translation>将三维视图保存为 PNG(&amp;V)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Export replay as &amp;video…</source>
        <translation>将回放导出为视频(&amp;V)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Open recording or package…</source>
        <translation>打开记录或事件包(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Export data…</source>
        <translation>导出数据(&amp;E)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Export &amp;incident package…</source>
        <translation>导出事件包(&amp;I)…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Export &amp;maintenance list…</source>
        <translation>导出维护清单(&amp;M)…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Reset camera</source>
        <translation>复位视角(&amp;R)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>F&amp;ly to selection</source>
        <translation>飞到所选(&amp;L)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Camera &amp;presets</source>
        <translation>预设视角(&amp;P)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Sa&amp;ved views</source>
        <translation>已保存视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Save current view…</source>
        <translation>保存当前视图(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Filter assets</source>
        <translation>筛选设备(&amp;F)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Clear selection</source>
        <translation>清除选择</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Colour assets by &amp;health</source>
        <translation>按健康度着色(&amp;H)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Plots: lon&amp;ger span</source>
        <translation>曲线：加长时间跨度(&amp;G)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Plots: shor&amp;ter span</source>
        <translation>曲线：缩短时间跨度(&amp;T)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Browse an &amp;OPC UA server…</source>
        <translation>浏览 OPC UA 服务器(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;About TwinDeck</source>
        <translation>关于 TwinDeck(&amp;A)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Playback</source>
        <translation>回放(&amp;P)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Play / pause</source>
        <translation>播放 / 暂停</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Step back</source>
        <translation>后退一步</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Step forward</source>
        <translation>前进一步</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Slower</source>
        <translation>减速</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Faster</source>
        <translation>加速</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Loop selected range</source>
        <translation>循环所选范围</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add bookmark</source>
        <translation>添加书签</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Back to live</source>
        <translation>返回实时</translation>
    </message>
    <message>
        <location line="+40" />
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <location line="+13" />
        <source>&amp;Alarms</source>
        <translation>报警(&amp;A)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Alarm &amp;journal…</source>
        <translation>报警日志(&amp;J)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Alarm system &amp;health…</source>
        <translation>报警系统健康(&amp;H)…</translation>
    </message>
    <message>
        <location line="+57" />
        <source>View at export</source>
        <translation>导出时的视图</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Open recording or incident package</source>
        <translation>打开记录或事件包</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Incident packages (*.twinpkg);;Recordings (*.twinhist);;All files (*)</source>
        <translation>事件包 (*.twinpkg);;记录 (*.twinhist);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+46" />
        <source>Save view</source>
        <translation>保存视图</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+27" />
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Save 3D view</source>
        <translation>保存三维视图</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+14" />
        <source>Screenshot</source>
        <translation>截图</translation>
    </message>
    <message>
        <location line="-14" />
        <location line="+14" />
        <source>Could not write %s</source>
        <translation>无法写入 %s</translation>
    </message>
    <message>
        <location line="-3" />
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <location line="+5" />
        <source>About TwinDeck</source>
        <translation>关于 TwinDeck</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&lt;b&gt;TwinDeck %s&lt;/b&gt;&lt;br&gt;Digital-twin visualiser for workshop equipment.</source>
        <translation>&lt;b&gt;TwinDeck %s&lt;/b&gt;&lt;br&gt;车间设备数字孪生可视化软件。</translation>
    </message>
    <message>
        <location line="+28" />
        <source>Quit TwinDeck</source>
        <translation>退出 TwinDeck</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Quit anyway?</source>
        <translation>仍要退出吗？</translation>
    </message>
    <message>
        <location filename="../../app/views/panels.py" line="+83" />
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+28" />
        <source>Fleet map</source>
        <translation>设备群地图</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Fleet health</source>
        <translation>设备群健康</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Advisories</source>
        <translation>预警</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Spectrum</source>
        <translation>频谱</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Lines</source>
        <translation>产线</translation>
    </message>
</context>
<context>
    <name>QtOpcuaBrowseDialog</name>
    <message>
        <location filename="../../app/tools/opcua_browser.py" line="+101" />
        <source>Browse an OPC UA server</source>
        <translation>浏览 OPC UA 服务器</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Browse</source>
        <translation>浏览</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Enter the server's endpoint and press Browse.</source>
        <translation>输入服务器端点，然后点击“浏览”。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Variable</source>
        <translation>变量</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Node id</source>
        <translation>节点 ID</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Copy TOML</source>
        <translation>复制 TOML</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Connection id</source>
        <translation>连接 ID</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Bindings for the ticked variables:</source>
        <translation>所勾选变量的绑定：</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Browsing %s…</source>
        <translation>正在浏览 %s…</translation>
    </message>
    <message numerus="yes">
        <location line="+10" />
        <source>%n variable(s) found; tick the ones to bind.</source>
        <translation>
            <numerusform>找到 %n 个变量；勾选要绑定的变量。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QtPackageDialog</name>
    <message>
        <location filename="../../app/export/package_dialog.py" line="+33" />
        <location line="+24" />
        <source>Export incident package</source>
        <translation>导出事件包</translation>
    </message>
    <message>
        <location line="-21" />
        <source>e.g. M07 overload, night shift</source>
        <translation>例如：M07 过载，夜班</translation>
    </message>
    <message>
        <location line="+2" />
        <source>What happened, what to look for</source>
        <translation>发生了什么，需要注意什么</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Time range</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+1" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+12" />
        <source>TwinDeck incident package (*.twinpkg)</source>
        <translation>TwinDeck 事件包 (*.twinpkg)</translation>
    </message>
</context>
<context>
    <name>QtPlotPanel</name>
    <message>
        <location filename="../../app/views/plot_panel.py" line="+93" />
        <location line="+64" />
        <source>Select an asset to plot its signals</source>
        <translation>选择一台设备以绘制其信号曲线</translation>
    </message>
    <message>
        <location line="-57" />
        <source>Time span shown in the plots (Ctrl+- / Ctrl++ zoom out / in). Long spans are read from the recording, with every peak kept.</source>
        <translation>曲线显示的时间跨度（Ctrl+- / Ctrl++ 缩小 / 放大）。长跨度从记录中读取，保留所有峰值。</translation>
    </message>
    <message numerus="yes">
        <location line="+26" />
        <source>Last %n h</source>
        <translation>
            <numerusform>最近 %n 小时</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>Last %n min</source>
        <translation>
            <numerusform>最近 %n 分钟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>Last %n s</source>
        <translation>
            <numerusform>最近 %n 秒</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QtRangeChooser</name>
    <message>
        <location filename="../../app/export/range_chooser.py" line="+12" />
        <source>Last 10 minutes</source>
        <translation>最近 10 分钟</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Whole recording</source>
        <translation>整个记录</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Selected on the timeline</source>
        <translation>时间轴上的所选范围</translation>
    </message>
    <message>
        <location line="+2" />
        <source>%s s from the cursor</source>
        <translation>从光标起 %s 秒</translation>
    </message>
    <message>
        <location line="+3" />
        <source>From … to …</source>
        <translation>从 … 到 …</translation>
    </message>
</context>
<context>
    <name>QtScenarioAuthor</name>
    <message>
        <location filename="../../app/training/author.py" line="+147" />
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Discard the changes?</source>
        <translation>放弃这些修改吗？</translation>
    </message>
    <message>
        <location line="+9" />
        <location line="+9" />
        <location line="+4" />
        <source>Open scenario</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <location line="+2" />
        <source>%s does not replay %s. Open what it replays (File &gt; Open recording or package) and edit the scenario in that window.</source>
        <translation>%s 回放的不是 %s。请先打开它回放的内容（文件 &gt; 打开记录或事件包），在那个窗口中编辑场景。</translation>
    </message>
    <message>
        <location line="+122" />
        <location line="+16" />
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="-8" />
        <source>Answer key: %s / %s points (%s %%), %s of %s steps reached.</source>
        <translation>标准答案：%s / %s 分（%s %%），到达 %s / %s 个步骤。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Step %s is never reached: its event does not happen in the range.</source>
        <translation>步骤 %s 永远不会到达：它等待的事件不在该时间范围内发生。</translation>
    </message>
    <message>
        <location line="+12" />
        <location line="+9" />
        <location line="+4" />
        <source>Save scenario</source>
        <translation>保存场景</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Could not write %s: %s</source>
        <translation>无法写入 %s：%s</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Saved to %s</source>
        <translation>已保存到 %s</translation>
    </message>
    <message>
        <location line="+42" />
        <source>, not saved</source>
        <translation>，未保存</translation>
    </message>
    <message>
        <location line="-19" />
        <source>The scenario “%s” has changes that are not saved.</source>
        <translation>场景“%s”有尚未保存的修改。</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Scenario “%s”: %s step(s)</source>
        <translation>场景“%s”：%s 个步骤</translation>
    </message>
</context>
<context>
    <name>QtScenarioDetails</name>
    <message>
        <location filename="../../app/training/details.py" line="+29" />
        <source>Scenario details</source>
        <translation>场景详情</translation>
    </message>
    <message>
        <location line="+3" />
        <source>What the trainee reads before starting</source>
        <translation>学员开始前阅读的内容</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Description:</source>
        <translation>描述：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Pass score:</source>
        <translation>及格分数：</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Give the scenario a name.</source>
        <translation>请为场景命名。</translation>
    </message>
</context>
<context>
    <name>QtSceneView</name>
    <message>
        <location filename="../../app/scene/qt_scene_view.py" line="+85" />
        <source>Drag to orbit, right-drag or wheel to zoom, click to select</source>
        <translation>拖动旋转，右键拖动或滚轮缩放，单击选择</translation>
    </message>
    <message>
        <location line="+176" />
        <source>State: %s</source>
        <translation>状态：%s</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Health: %.0f</source>
        <translation>健康度：%.0f</translation>
    </message>
</context>
<context>
    <name>QtScreens</name>
    <message>
        <location filename="../../app/windows/screens.py" line="+19" />
        <source>Screen %s: %s (%s×%s)</source>
        <translation>屏幕 %s：%s (%s×%s)</translation>
    </message>
</context>
<context>
    <name>QtSecondWindow</name>
    <message>
        <location filename="../../app/windows/second.py" line="+79" />
        <source>&amp;Window</source>
        <translation>窗口(&amp;W)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Move to &amp;screen</source>
        <translation>移到屏幕(&amp;S)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Close window</source>
        <translation>关闭窗口(&amp;C)</translation>
    </message>
    <message>
        <location line="+17" />
        <source>TwinDeck — %s</source>
        <translation>TwinDeck — %s</translation>
    </message>
</context>
<context>
    <name>QtShelveUntilDialog</name>
    <message>
        <location filename="../../app/alarms/shelve_dialog.py" line="+26" />
        <source>Shelve alarms</source>
        <translation>搁置报警</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Why (required), e.g. sensor being replaced</source>
        <translation>原因（必填），例如：正在更换传感器</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Until</source>
        <translation>直到</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
</context>
<context>
    <name>QtShiftReportDialog</name>
    <message>
        <location filename="../../app/shift/dialog.py" line="+45" />
        <location line="+78" />
        <source>Shift report</source>
        <translation>班次报告</translation>
    </message>
    <message>
        <location line="-59" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Day (UTC)</source>
        <translation>日期 (UTC)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location line="+1" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+31" />
        <source>nothing recorded in this shift</source>
        <translation>本班次无记录数据</translation>
    </message>
    <message>
        <location line="+2" />
        <source>recorded %1–%2</source>
        <translation>已记录 %1–%2</translation>
    </message>
    <message>
        <location line="+4" />
        <source>incomplete</source>
        <translation>不完整</translation>
    </message>
    <message>
        <location line="+17" />
        <source>PDF (*.pdf);;CSV (*.csv)</source>
        <translation>PDF (*.pdf);;CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>QtSignInDialog</name>
    <message>
        <location filename="../../app/alarms/operator.py" line="-47" />
        <source>Early 06–14</source>
        <translation>早班 06–14</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Late 14–22</source>
        <translation>中班 14–22</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Night 22–06</source>
        <translation>夜班 22–06</translation>
    </message>
    <message>
        <location line="+54" />
        <source>Operator sign-in</source>
        <translation>操作员登录</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Your name, as the journal should show it</source>
        <translation>您的姓名（将显示在日志中）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
</context>
<context>
    <name>QtSpectrumPanel</name>
    <message>
        <location filename="../../app/fleet/spectrum.py" line="+55" />
        <source>Waveform channel of the selected asset</source>
        <translation>所选设备的波形通道</translation>
    </message>
    <message>
        <location line="+26" />
        <source>PSD</source>
        <translation>功率谱密度</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+11" />
        <source>Frequency</source>
        <translation>频率</translation>
    </message>
    <message>
        <location line="-1" />
        <source>Seconds before cursor</source>
        <translation>光标前秒数</translation>
    </message>
    <message>
        <location line="+21" />
        <source>No asset selected</source>
        <translation>未选择设备</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Waveform channels (200 Hz and faster) are on: %s</source>
        <translation>波形通道（200 Hz 及以上）位于：%s</translation>
    </message>
    <message>
        <location line="+43" />
        <source>Reading the last minutes of %s…</source>
        <translation>正在读取 %s 最近几分钟的数据…</translation>
    </message>
    <message>
        <location line="+44" />
        <source>Too few samples at the cursor for a spectrum</source>
        <translation>光标处样本太少，无法计算频谱</translation>
    </message>
</context>
<context>
    <name>QtStartTrainingDialog</name>
    <message>
        <location filename="../../app/training/start.py" line="+55" />
        <source>Start training</source>
        <translation>开始培训</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Trainee's name</source>
        <translation>学员姓名</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Scenario:</source>
        <translation>培训场景：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Trainee:</source>
        <translation>学员：</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Training scenario</source>
        <translation>培训场景</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Training scenarios (*.toml)</source>
        <translation>培训场景 (*.toml)</translation>
    </message>
</context>
<context>
    <name>QtStatusStrip</name>
    <message>
        <location filename="../../app/views/status_strip.py" line="+35" />
        <source>Who is on shift: click to sign in</source>
        <translation>当班人员：点击登录</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Time shown by every view</source>
        <translation>所有视图显示的时间</translation>
    </message>
    <message>
        <location line="+22" />
        <source>◀ LOOKING BACK · End: back to live</source>
        <translation>◀ 正在回看 · End：返回实时</translation>
    </message>
    <message>
        <location line="+14" />
        <source>%1 samples/s · %2 fps</source>
        <translation>%1 样本/秒 · %2 帧/秒</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Live buffers: %1 for %2 signals, the last %3 s of each (--retention)</source>
        <translation>实时缓冲：%2 个信号共 %1，每个保留最近 %3 秒 (--retention)</translation>
    </message>
    <message>
        <location line="+9" />
        <source>● REC %1/s · %2</source>
        <translation>● 记录 %1/秒 · %2</translation>
    </message>
    <message>
        <location line="+4" />
        <source> · %1 samples dropped</source>
        <translation> · 丢弃 %1 个样本</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Recording into %1</source>
        <translation>正在记录到 %1</translation>
    </message>
    <message>
        <location line="+3" />
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not recording: %1</source>
        <translation>未在记录：%1</translation>
    </message>
    <message>
        <location line="+19" />
        <source>%1 in alarm · %2 warning</source>
        <translation>%1 台报警 · %2 台预警</translation>
    </message>
    <message>
        <location line="+6" />
        <source>At the cursor: %1</source>
        <translation>光标处：%1</translation>
    </message>
</context>
<context>
    <name>QtStepDialog</name>
    <message>
        <location filename="../../app/training/step_dialog.py" line="+72" />
        <source>Edit step</source>
        <translation>编辑步骤</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Add step</source>
        <translation>添加步骤</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Seconds from the scenario's start, or 90s, 1.5m</source>
        <translation>从场景开始计的秒数，或 90s、1.5m</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Pause the replay while the step is open</source>
        <translation>步骤打开时暂停回放</translation>
    </message>
    <message>
        <location line="+2" />
        <source>What the trainee reads</source>
        <translation>学员看到的说明</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Step id:</source>
        <translation>步骤编号：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Time (s):</source>
        <translation>时间（秒）：</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Instruction:</source>
        <translation>说明：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Question:</source>
        <translation>问题：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Prompt:</source>
        <translation>题目：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Points:</source>
        <translation>分值：</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Hints (each costs points when used):</source>
        <translation>提示（每次使用扣分）：</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Expected actions:</source>
        <translation>期望的操作：</translation>
    </message>
    <message>
        <location line="+11" />
        <source>None: an instruction only</source>
        <translation>无：仅说明</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Multiple choice</source>
        <translation>单项选择</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Click the asset</source>
        <translation>点击设备</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Which alarm first</source>
        <translation>先处理哪个报警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Value of a signal now</source>
        <translation>信号当前值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Free text (marked by the trainer)</source>
        <translation>自由作答（由教员评分）</translation>
    </message>
    <message>
        <location line="+7" />
        <source>One option per line</source>
        <translation>每行一个选项</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Options:</source>
        <translation>选项：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Answer:</source>
        <translation>答案：</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Answer (asset):</source>
        <translation>答案（设备）：</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Answer (alarm):</source>
        <translation>答案（报警）：</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Signal:</source>
        <translation>信号：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Answer (value now):</source>
        <translation>答案（当前值）：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Tolerance (±):</source>
        <translation>允许误差（±）：</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The trainer marks the answer.</source>
        <translation>答案由教员评分。</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Hint</source>
        <translation>提示</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Cost</source>
        <translation>扣分</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Add hint</source>
        <translation>添加提示</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Remove hint</source>
        <translation>删除提示</translation>
    </message>
    <message>
        <location line="+40" />
        <source>when %s is raised</source>
        <translation>当 %s 报警时</translation>
    </message>
    <message>
        <location line="+2" />
        <source>when %s is above %s</source>
        <translation>当 %s 高于 %s 时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>when %s is below %s</source>
        <translation>当 %s 低于 %s 时</translation>
    </message>
    <message>
        <location line="+67" />
        <source>Give the step an id.</source>
        <translation>请为步骤指定编号。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The id may contain only letters, digits, '_' and '-'.</source>
        <translation>编号只能包含字母、数字、“_”和“-”。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Another step is already called %s.</source>
        <translation>已有另一个步骤叫 %s。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Write an instruction, a question or an expected action.</source>
        <translation>请填写说明、问题或期望的操作。</translation>
    </message>
    <message>
        <location line="+19" />
        <source>%s is not a time: give seconds, or a number with s, m or h.</source>
        <translation>%s 不是时间：请填写秒数，或带 s、m、h 单位的数字。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The step is at %s s, after the end of the scenario (%s s).</source>
        <translation>该步骤在 %s 秒，晚于场景结束（%s 秒）。</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Write the question's prompt.</source>
        <translation>请填写问题的题目。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Pick the asset that is the answer.</source>
        <translation>请选择作为答案的设备。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Name the alarm that is the answer.</source>
        <translation>请填写作为答案的报警。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The tolerance</source>
        <translation>允许误差</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The tolerance must be 0 or more.</source>
        <translation>允许误差必须大于或等于 0。</translation>
    </message>
    <message>
        <location line="+8" />
        <source>A multiple-choice question needs at least two options.</source>
        <translation>选择题至少需要两个选项。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The answer “%s” is not one of the options: write it as one of them.</source>
        <translation>答案“%s”不在选项中：请填写其中一个选项。</translation>
    </message>
    <message>
        <location line="+11" />
        <source>%s must be a number, not “%s”.</source>
        <translation>%s必须是数字，而不是“%s”。</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Hint %s has no text.</source>
        <translation>提示 %s 没有内容。</translation>
    </message>
</context>
<context>
    <name>QtStepMarks</name>
    <message>
        <location filename="../../app/training/marks.py" line="+88" />
        <source>Add step here…</source>
        <translation>在此添加步骤…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Edit step %s…</source>
        <translation>编辑步骤 %s…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Delete step %s</source>
        <translation>删除步骤 %s</translation>
    </message>
</context>
<context>
    <name>QtTimeline</name>
    <message>
        <location filename="../../app/timeline/timeline.py" line="+330" />
        <source>Bookmark: %1</source>
        <translation>书签：%1</translation>
    </message>
</context>
<context>
    <name>QtTraineeHistory</name>
    <message>
        <location filename="../../app/training/history.py" line="+47" />
        <source>Trainee history</source>
        <translation>学员记录</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Scenario</source>
        <translation>场景</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Time to detect (s)</source>
        <translation>发现用时（秒）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Time to acknowledge (s)</source>
        <translation>确认用时（秒）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Trainee:</source>
        <translation>学员：</translation>
    </message>
    <message>
        <location line="+29" />
        <source>All trainees</source>
        <translation>全部学员</translation>
    </message>
    <message>
        <location line="+30" />
        <source>%s session(s), %s passed</source>
        <translation>%s 次培训，%s 次通过</translation>
    </message>
    <message>
        <location line="+1" />
        <source>No training sessions recorded yet.</source>
        <translation>尚无培训记录。</translation>
    </message>
    <message>
        <location line="+10" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0" />
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+6" />
        <location line="+13" />
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <location line="+2" />
        <source>%s session(s) written to %s</source>
        <translation>%s 次培训已写入 %s</translation>
    </message>
</context>
<context>
    <name>QtTrainingPanel</name>
    <message>
        <location filename="../../app/training/panel.py" line="+53" />
        <source>Number</source>
        <translation>数值</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Save report…</source>
        <translation>保存报告…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Replay the session</source>
        <translation>回放本次培训</translation>
    </message>
    <message>
        <location line="+33" />
        <source>The scenario is running. Watch the plant.</source>
        <translation>场景正在运行。请注意观察工厂。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Step %1 of %2 · %3</source>
        <translation>第 %1 步，共 %2 步 · %3</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Click the asset in the 3D view or in the plant tree.</source>
        <translation>请在三维视图或工厂树中点击该设备。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Click the alarm in the alarm list.</source>
        <translation>请在报警列表中点击该报警。</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Hint (costs %1 points)</source>
        <translation>提示（扣 %1 分）</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Answer recorded.</source>
        <translation>答案已记录。</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Debrief</source>
        <translation>讲评</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The scenario is over. The timeline shows what you did (upper row) beside what was expected (lower row); play it again to review.</source>
        <translation>场景已结束。时间轴上显示您的操作（上行）与预期操作（下行）；可再次回放以复盘。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location line="+0" />
        <source>not passed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&lt;b&gt;Score: %1 / %2 (%3 %)&lt;/b&gt;, %4</source>
        <translation>&lt;b&gt;得分：%1 / %2（%3 %）&lt;/b&gt;，%4</translation>
    </message>
    <message>
        <location line="+38" />
        <source>Type a number.</source>
        <translation>请输入数字。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Type your answer first.</source>
        <translation>请先输入答案。</translation>
    </message>
</context>
<context>
    <name>QtTransportBar</name>
    <message>
        <location filename="../../app/timeline/transport.py" line="+54" />
        <source>Previous mark or 1 s back (Left)</source>
        <translation>上一标记或后退 1 秒 (Left)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Play / pause (Space)</source>
        <translation>播放 / 暂停 (Space)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Next mark or 1 s on (Right)</source>
        <translation>下一标记或前进 1 秒 (Right)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Slower ([)</source>
        <translation>减速 ([)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Replay speed</source>
        <translation>回放速度</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Faster (])</source>
        <translation>加速 (])</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Loop the selected range (L)</source>
        <translation>循环所选范围 (L)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Loop</source>
        <translation>循环</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Back to the live plant (End)</source>
        <translation>返回实时工厂 (End)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Back to live</source>
        <translation>返回实时</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Time shown by every view</source>
        <translation>所有视图显示的时间</translation>
    </message>
    <message>
        <location line="+122" />
        <source>LIVE</source>
        <translation>实时</translation>
    </message>
    <message>
        <location line="+0" />
        <source>REPLAY</source>
        <translation>回放</translation>
    </message>
</context>
<context>
    <name>QtValuesTable</name>
    <message>
        <location filename="../../app/views/values_panel.py" line="+24" />
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1" />
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location line="+1" />
        <source>warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location line="+25" />
        <source>Signal</source>
        <translation>信号</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+0" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Current values of the selected asset</source>
        <translation>所选设备的当前值</translation>
    </message>
</context>
<context>
    <name>QtVideoDialog</name>
    <message>
        <location filename="../../app/export/video_dialog.py" line="+34" />
        <location line="+33" />
        <source>Export replay as video</source>
        <translation>将回放导出为视频</translation>
    </message>
    <message>
        <location line="-26" />
        <source>A .mp4 file, or a folder that receives one PNG picture per frame</source>
        <translation>一个 .mp4 文件，或每帧保存一张 PNG 图片的文件夹</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Time range</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <location line="+1" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+12" />
        <source>%s frames at %s fps (%s:%s of video)</source>
        <translation>%s 帧，%s 帧/秒（视频时长 %s:%s）</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Video (*.mp4);;PNG sequence folder (*)</source>
        <translation>视频 (*.mp4);;PNG 序列文件夹 (*)</translation>
    </message>
</context>
<context>
    <name>QtWallScreen</name>
    <message>
        <location filename="../../app/wall/menu.py" line="+16" />
        <source>&amp;Wall screen</source>
        <translation>大屏显示(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../app/wall/screen.py" line="+89" />
        <source>TwinDeck wall screen — %1</source>
        <translation>TwinDeck 大屏 — %1</translation>
    </message>
    <message>
        <location line="+190" />
        <source>LIVE</source>
        <translation>实时</translation>
    </message>
    <message>
        <location line="+0" />
        <source>REPLAY</source>
        <translation>回放</translation>
    </message>
    <message>
        <location line="+19" />
        <source>last 8 h</source>
        <translation>最近 8 小时</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Standing alarms: %1</source>
        <translation>当前报警：%1</translation>
    </message>
    <message>
        <location line="+7" />
        <source>No standing alarms</source>
        <translation>无当前报警</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Fleet health</source>
        <translation>设备群健康</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Health not monitored</source>
        <translation>未监测健康状态</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No assets monitored here</source>
        <translation>本区域无监测设备</translation>
    </message>
    <message>
        <location line="+2" />
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+0" />
        <source>maint.</source>
        <translation>需维护</translation>
    </message>
    <message>
        <location line="+0" />
        <source>off spec</source>
        <translation>超规格</translation>
    </message>
    <message>
        <location line="+0" />
        <source>failure</source>
        <translation>故障</translation>
    </message>
    <message>
        <location line="+10" />
        <source>All monitored assets normal</source>
        <translation>所有监测设备正常</translation>
    </message>
</context>
<context>
    <name>Quit</name>
    <message>
        <location filename="../../app/compose/live.py" line="+77" />
        <source>Recording into %s stops.</source>
        <translation>记录到 %s 的过程将停止。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>%s alarm(s) are standing and will no longer be watched here.</source>
        <translation>%s 条报警仍存在，此处将不再监视。</translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message>
        <location filename="../../app/compose/selftest.py" line="+102" />
        <source>OpenGL: %s</source>
        <translation>OpenGL：%s</translation>
    </message>
    <message>
        <location line="+7" />
        <source>first frame drawn %s s after launch</source>
        <translation>启动后 %s 秒绘制出第一帧</translation>
    </message>
    <message>
        <location line="+5" />
        <source>self-test FAILED: %s (%s s)</source>
        <translation>自检失败：%s（%s 秒）</translation>
    </message>
    <message>
        <location line="+7" />
        <source>self-test passed: %s checks in %s s</source>
        <translation>自检通过：%s 项检查，用时 %s 秒</translation>
    </message>
    <message>
        <location line="+48" />
        <source>recording into %s</source>
        <translation>记录到 %s</translation>
    </message>
    <message>
        <location line="+13" />
        <source>the window was not shown on the display within 5 s</source>
        <translation>窗口未在 5 秒内显示</translation>
    </message>
    <message>
        <location line="+4" />
        <source>%sx%s, shown</source>
        <translation>%sx%s，已显示</translation>
    </message>
    <message>
        <location line="+14" />
        <source>the frame scheduler drew no frame</source>
        <translation>帧调度器未绘制任何帧</translation>
    </message>
    <message>
        <location line="+4" />
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location line="+16" />
        <source>no replayed frame was drawn (history not loaded in time)</source>
        <translation>未绘制回放帧（历史数据未及时加载）</translation>
    </message>
    <message>
        <location line="+9" />
        <source>%s of %s replayed values differ from live</source>
        <translation>%s / %s 个回放值与实时值不同</translation>
    </message>
    <message>
        <location line="+5" />
        <source>replayed</source>
        <translation>回放</translation>
    </message>
    <message>
        <location line="+4" />
        <source>%s values at %s s match live; %s</source>
        <translation>%s 个数值在 %s 秒处与实时一致；%s</translation>
    </message>
    <message>
        <location line="+13" />
        <source>%s assets, %s signals from %s</source>
        <translation>%s 台设备，%s 个信号，来自 %s</translation>
    </message>
    <message>
        <location line="+9" />
        <source>the simulator produced no samples</source>
        <translation>模拟器未产生样本</translation>
    </message>
    <message>
        <location line="+3" />
        <source>%s s of %s signals: %s samples</source>
        <translation>%s 秒 %s 个信号：%s 个样本</translation>
    </message>
    <message>
        <location line="+15" />
        <source>the %s 3D view is empty: %s of %sx%s pixels differ from the background (need %s)</source>
        <translation>%s三维视图为空：%s / %sx%s 像素不同于背景（需要 %s）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>%s of %sx%s px drawn (%s)</source>
        <translation>已绘制 %s / %sx%s 像素（%s）</translation>
    </message>
    <message>
        <location line="+33" />
        <source>no samples reached the store</source>
        <translation>没有样本进入存储</translation>
    </message>
    <message>
        <location line="+4" />
        <source>no frames were drawn</source>
        <translation>未绘制任何帧</translation>
    </message>
    <message>
        <location line="+5" />
        <source>nothing recorded</source>
        <translation>未记录任何数据</translation>
    </message>
    <message>
        <location line="+14" />
        <source>%s s real time: %s samples ingested, %s frames (%s fps); %s samples recorded so far</source>
        <translation>实时 %s 秒：接收 %s 个样本，%s 帧（%s 帧/秒）；目前已记录 %s 个样本</translation>
    </message>
    <message>
        <location line="+11" />
        <source>nothing was written</source>
        <translation>未写入任何数据</translation>
    </message>
    <message>
        <location line="+3" />
        <source>, %s dropped</source>
        <translation>，丢弃 %s</translation>
    </message>
    <message>
        <location line="+5" />
        <source>%s samples, %s MB on disk%s</source>
        <translation>%s 个样本，磁盘占用 %s MB%s</translation>
    </message>
</context>
<context>
    <name>ShiftReport</name>
    <message>
        <location filename="../../app/shift/report.py" line="+46" />
        <source>Shift report: %1, %2</source>
        <translation>班次报告：%1，%2</translation>
    </message>
    <message>
        <location line="+17" />
        <source>not known</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Plant</source>
        <translation>工厂</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>From–to</source>
        <translation>起止时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Recorded</source>
        <translation>已记录</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Report made</source>
        <translation>报告生成时间</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Incomplete: the recording began at %1, after the shift had started.</source>
        <translation>不完整：记录从 %1 开始，此时班次已经开始。</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Incomplete: the data stops at %1 (the shift is under way or the recording stopped); the figures are the shift so far.</source>
        <translation>不完整：数据截止于 %1（班次仍在进行或记录已停止）；数字为本班次截至目前的情况。</translation>
    </message>
    <message>
        <location line="+10" />
        <source>%1 parts (%2 good, %3 scrap)</source>
        <translation>%1 件（合格 %2，废品 %3）</translation>
    </message>
    <message>
        <location line="+7" />
        <source>no plan for this shift</source>
        <translation>本班次无计划</translation>
    </message>
    <message>
        <location line="+2" />
        <source>plan %1, %2 due in the recorded time</source>
        <translation>计划 %1，记录时段内应完成 %2</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Output</source>
        <translation>产量</translation>
    </message>
    <message>
        <location line="+2" />
        <source>OEE</source>
        <translation>OEE</translation>
    </message>
    <message>
        <location line="+1" />
        <source>%1 = availability %2 × performance %3 × quality %4</source>
        <translation>%1 = 可用率 %2 × 性能 %3 × 质量 %4</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Energy</source>
        <translation>能耗</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Bottleneck</source>
        <translation>瓶颈</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Losses</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cycle times</source>
        <translation>节拍时间</translation>
    </message>
    <message>
        <location line="+8" />
        <source>%1 kWh, %2 kWh a part</source>
        <translation>%1 kWh，每件 %2 kWh</translation>
    </message>
    <message>
        <location line="+9" />
        <source>%1 (median cycle %2)</source>
        <translation>%1（节拍中位数 %2）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Downtime: %1</source>
        <translation>停机：%1</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Slow cycles</source>
        <translation>节拍慢</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Scrap</source>
        <translation>废品</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+46" />
        <location line="+24" />
        <location line="+12" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="-81" />
        <source>Of the planned %1</source>
        <translation>占计划时间 %1</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Last</source>
        <translation>最近</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <location line="+1" />
        <source>p90</source>
        <translation>p90</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Min</source>
        <translation>最短</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Max</source>
        <translation>最长</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cycles</source>
        <translation>节拍数</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Over target %1</source>
        <translation>超过目标 %1</translation>
    </message>
    <message>
        <location line="+10" />
        <source>None.</source>
        <translation>无。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Alarms raised</source>
        <translation>本班报警</translation>
    </message>
    <message>
        <location line="+15" />
        <location line="+24" />
        <source>Asset</source>
        <translation>设备</translation>
    </message>
    <message>
        <location line="-23" />
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Acknowledged by</source>
        <translation>确认人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>at</source>
        <translation>确认时间</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Advisories</source>
        <translation>预警</translation>
    </message>
    <message>
        <location line="+2" />
        <source>standing</source>
        <translation>仍存在</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Advisory</source>
        <translation>预警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cleared</source>
        <translation>已复位</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/shift/words.py" line="+23" />
        <source>Breakdown</source>
        <translation>故障停机</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Tool change</source>
        <translation>换模</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Material shortage</source>
        <translation>缺料</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Electrical fault</source>
        <translation>电气故障</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Other stop</source>
        <translation>其他停机</translation>
    </message>
    <message>
        <location line="+59" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
</context>
<context>
    <name>ShiftReporter</name>
    <message>
        <location filename="../../app/shift/action.py" line="+69" />
        <source>Nothing is being recorded, so there is no shift to report.</source>
        <translation>当前未在记录，因此没有可报告的班次。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Nothing has been recorded yet.</source>
        <translation>尚未记录任何数据。</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Reading the shift from the recording…</source>
        <translation>正在从记录中读取班次…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+32" />
        <source>Shift report</source>
        <translation>班次报告</translation>
    </message>
    <message>
        <location line="+15" />
        <source>S&amp;hift report…</source>
        <translation>班次报告(&amp;H)…</translation>
    </message>
</context>
<context>
    <name>TimelineSession</name>
    <message>
        <location filename="../../app/timeline/session.py" line="+143" />
        <location line="+28" />
        <location line="+22" />
        <source>Bookmark</source>
        <translation>书签</translation>
    </message>
    <message>
        <location line="-48" />
        <source>Jump to</source>
        <translation>跳转到</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Rename bookmark</source>
        <translation>重命名书签</translation>
    </message>
    <message>
        <location line="+0" />
        <location line="+17" />
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="-3" />
        <source>Bookmarks cannot be added here.</source>
        <translation>此处无法添加书签。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Name (the recording is read-only: its bookmarks are kept in a file of their own, and go into the incident packages exported from it):</source>
        <translation>名称（记录为只读：其书签保存在单独的文件中，并会包含在由其导出的事件包内）：</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Add bookmark</source>
        <translation>添加书签</translation>
    </message>
</context>
<context>
    <name>Trainee</name>
    <message>
        <location filename="../../app/compose/trainee.py" line="+121" />
        <source>TRAINING · %1 · %2</source>
        <translation>培训 · %1 · %2</translation>
    </message>
    <message>
        <location line="+45" />
        <source>Preparing the lesson…</source>
        <translation>正在准备培训课程…</translation>
    </message>
</context>
<context>
    <name>TraineeController</name>
    <message>
        <location filename="../../app/training/controller.py" line="+83" />
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <location line="+247" />
        <source>Save report</source>
        <translation>保存报告</translation>
    </message>
    <message>
        <location line="+0" />
        <source>PDF (*.pdf);;HTML (*.html)</source>
        <translation>PDF (*.pdf);;HTML (*.html)</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Report saved: %1</source>
        <translation>报告已保存：%1</translation>
    </message>
</context>
<context>
    <name>TraineeTimeline</name>
    <message>
        <location filename="../../app/training/timeline_lock.py" line="+58" />
        <source>Add bookmark</source>
        <translation>添加书签</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Comment for the bookmark:</source>
        <translation>书签备注：</translation>
    </message>
</context>
<context>
    <name>TrainingMenu</name>
    <message>
        <location filename="../../app/training/menu.py" line="+30" />
        <source>&amp;Training</source>
        <translation>培训(&amp;T)</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Trainee &amp;history…</source>
        <translation>学员记录(&amp;H)…</translation>
    </message>
    <message>
        <location line="+18" />
        <source>&amp;New scenario from this replay…</source>
        <translation>从此回放新建场景(&amp;N)…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Open scenario for editing…</source>
        <translation>打开场景进行编辑(&amp;O)…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Add step here</source>
        <translation>在此添加步骤(&amp;A)</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Scenario &amp;details…</source>
        <translation>场景详情(&amp;D)…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Preview with the answer key</source>
        <translation>用标准答案预览(&amp;P)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Save scenario…</source>
        <translation>保存场景(&amp;S)…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Edit step</source>
        <translation>编辑步骤(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../app/training/start.py" line="-43" />
        <source>T&amp;raining</source>
        <translation>培训(&amp;R)</translation>
    </message>
    <message>
        <location line="+12" />
        <source>&amp;Start…</source>
        <translation>开始(&amp;S)…</translation>
    </message>
</context>
<context>
    <name>TrainingReport</name>
    <message>
        <location filename="../../app/training/report.py" line="+29" />
        <source>right</source>
        <translation>正确</translation>
    </message>
    <message>
        <location line="+1" />
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+1" />
        <source>late</source>
        <translation>超时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>missed</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location line="+1" />
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1" />
        <source>avoided</source>
        <translation>已避免</translation>
    </message>
    <message>
        <location line="+1" />
        <source>to mark</source>
        <translation>待评分</translation>
    </message>
    <message>
        <location line="+1" />
        <source>hint</source>
        <translation>提示</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Trainee</source>
        <translation>学员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Scenario</source>
        <translation>培训场景</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Pass mark</source>
        <translation>及格线</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Time to detect</source>
        <translation>发现用时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Time to acknowledge</source>
        <translation>确认用时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Actions nothing asked for</source>
        <translation>多余操作</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location line="+1" />
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+1" />
        <source>After</source>
        <translation>用时</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Points</source>
        <translation>分数</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Training report</source>
        <translation>培训报告</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Steps</source>
        <translation>步骤明细</translation>
    </message>
    <message>
        <location line="+2" />
        <source>not passed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <location line="+1" />
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location line="+2" />
        <source>not reached</source>
        <translation>未到达</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Answer</source>
        <translation>学员答案</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Marked %1 / %2 by %3</source>
        <translation>评分 %1 / %2（评分人：%3）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not marked yet</source>
        <translation>尚未评分</translation>
    </message>
</context>
<context>
    <name>WallText</name>
    <message>
        <location filename="../../app/wall/figures.py" line="+29" />
        <source>Output · %1</source>
        <translation>产量 · %1</translation>
    </message>
    <message>
        <location line="+5" />
        <source>OEE</source>
        <translation>OEE</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Last cycle</source>
        <translation>最近节拍</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Energy per part</source>
        <translation>单件能耗</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Bottleneck</source>
        <translation>瓶颈</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Downtime</source>
        <translation>停机</translation>
    </message>
    <message>
        <location line="+20" />
        <source>Assets in alarm</source>
        <translation>报警设备</translation>
    </message>
    <message>
        <location line="+6" />
        <source>In warning</source>
        <translation>预警设备</translation>
    </message>
    <message>
        <location line="+5" />
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../app/wall/text.py" line="+39" />
        <source>%1 good</source>
        <translation>合格 %1</translation>
    </message>
    <message>
        <location line="+2" />
        <source>no plan</source>
        <translation>无计划</translation>
    </message>
    <message>
        <location line="+2" />
        <source>%1 due by now</source>
        <translation>应完成 %1</translation>
    </message>
    <message>
        <location line="+18" />
        <source>A %1 · P %2 · Q %3</source>
        <translation>可用 %1 · 性能 %2 · 质量 %3</translation>
    </message>
    <message>
        <location line="+25" />
        <source>median %1 · target %2</source>
        <translation>中位 %1 · 目标 %2</translation>
    </message>
    <message>
        <location line="+15" />
        <source>%1 kWh</source>
        <translation>%1 kWh</translation>
    </message>
    <message>
        <location line="+8" />
        <source>%1 parts an hour</source>
        <translation>每小时 %1 件</translation>
    </message>
    <message>
        <location line="+9" />
        <source>median cycle %1</source>
        <translation>节拍中位 %1</translation>
    </message>
    <message>
        <location line="+5" />
        <location line="+10" />
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location line="-3" />
        <source>no stops</source>
        <translation>无停机</translation>
    </message>
    <message>
        <location line="+29" />
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>WindowsMenu</name>
    <message>
        <location filename="../../app/windows/menu.py" line="+27" />
        <source>&amp;New window…</source>
        <translation>新建窗口(&amp;N)…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Windows</source>
        <translation>窗口(&amp;W)</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Move main window to screen</source>
        <translation>将主窗口移到屏幕</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Move %s to screen</source>
        <translation>将%s移到屏幕</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Move window %s to screen</source>
        <translation>将窗口 %s 移到屏幕</translation>
    </message>
    <message>
        <location line="+17" />
        <source>New window</source>
        <translation>新建窗口</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Show this area or asset in a new window:</source>
        <translation>在新窗口中显示此区域或设备：</translation>
    </message>
</context>
</TS>