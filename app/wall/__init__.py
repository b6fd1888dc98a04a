"""The wall screen: a line's and an area's figures in large type, page after page."""
