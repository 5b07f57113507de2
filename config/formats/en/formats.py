# English keeps Django's formats but also accepts ISO and the browser's date inputs.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"]
