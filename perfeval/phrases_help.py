"""The English of every --help text (`--lang en`); the Chinese is written beside each option in cli.py
and options.py."""

# --help in English (`--lang en`): each Chinese help text (its lines joined) -> its English
HELP_EN: dict[str, str] = {
    "perfeval：复核绩效评价评分表（.xlsx）中的评分、合计与等级。":
        "perfeval: recheck the scores, totals and grades of performance-evaluation scoring sheets (.xlsx).",
    "复核 PATHS 中的评分表（文件或文件夹）。退出码：0 无错误，1 有错误，2 有文件无法读取，3 内部错误。":
        "Check the scoring sheets in PATHS (files or folders). Exit code: 0 no error, 1 some error, "
        "2 some file unreadable, 3 internal error.",
    "设置文件（默认：所查文件夹或其上级中的 perfeval.toml，或 pyproject.toml 的 [tool.perfeval]）":
        "settings file (default: perfeval.toml in the folder checked or a parent, or [tool.perfeval] in "
        "pyproject.toml)",
    "报告格式": "report format",
    "写出带标注的复核文件（<文件名>.checked.xlsx）、summary.xlsx 与 perfeval.db 的文件夹":
        "folder for the annotated copies (<name>.checked.xlsx), summary.xlsx and perfeval.db",
    "并行进程数": "number of worker processes",
    "CPU 数": "number of CPUs",
    "内容未变的文件也重新复核（忽略 perfeval.db 中的记录）":
        "check again files whose content has not changed (ignore what perfeval.db holds)",
    "强制使用的评分规则（ID 或 .toml 文件）": "rubric to use for every sheet (an ID or a .toml file)",
    "输出语言": "language of the output",
    "逐条列出提示（info）级结果": "list every info-level finding",
    "只输出最后一行汇总": "print only the last line (the counts)",
    "只报告这些代码（或代码前缀，如 score）的结果；可重复，可用逗号分隔":
        "report only these codes (or code prefixes such as score); repeatable, comma-separated",
    "不报告这些代码（或代码前缀）的结果，只在汇总行计数；可重复，可用逗号分隔":
        "leave out these codes (or code prefixes), counted in the last line only; repeatable, comma-separated",
    "改变代码的严重程度（error|warning|info），如 reason-missing=info；可重复":
        "change a code's severity (error|warning|info), e.g. reason-missing=info; repeatable",
    "监视 INBOX 文件夹：新放入或修改的评分表自动复核，结果写入 --out 文件夹。INBOX 不会被写入。":
        "Watch the folder INBOX: every scoring sheet dropped in or changed is checked, its results written "
        "to the --out folder. INBOX is never written.",
    "写出复核文件、summary.xlsx 与 perfeval.db 的文件夹": "folder for the annotated copies, summary.xlsx and perfeval.db",
    "（必填，可写在设置文件中）": " (required; may be given in the settings file)",
    "只处理当前已有的文件（刚放入的等其复制完成），然后退出（供计划任务使用）":
        "process the files there now (waiting for those still being copied), then exit (for scheduled tasks)",
    "每隔 SECONDS 秒轮询一次（网络共享文件夹用）": "poll every SECONDS seconds (for network shares)",
    "打开设有打开密码的工作簿（.xlsx/.xls）所用的密码；也可用环境变量给出。不回显、不写入任何输出":
        "password that opens workbooks with an opening password (.xlsx/.xls); may be given in the environment "
        "instead. Never echoed, never written to any output",
    "文件大小与修改时间保持不变多久才视为复制完成":
        "how long a file's size and modification time must stay unchanged before it counts as copied",
    "年度汇总：SOURCES 为评分表文件夹（不写复核副本）或台账 perfeval.db。":
        "Annual roll-up: SOURCES are folders of scoring sheets (no annotated copies written) or ledgers perfeval.db.",
    "写出的汇总工作簿（.xlsx）": "roll-up workbook to write (.xlsx)",
    "同时写出的离线 HTML 报告": "also write an offline HTML report",
    "标题中未注明年度的评分表按此年度计": "year of the sheets whose title names none",
    "列出所有核对代码、严重程度与说明。": "List every finding code with its severity and description.",
    "说明核对代码 CODE：含义、示例与处理办法（perfeval rules 列出所有代码）。":
        "Explain the finding code CODE: what it means, an example, what to do (perfeval rules lists every code).",
    "写出评分规则 RUBRIC（ID 如 egov-2019，或 .toml 文件）的空白评分表：评分单元格带数据验证，"
    "小计与合计为公式，另有列出公式指标所需数据的“基础数据”工作表，表头与指标不可改动。":
        "Write a blank scoring form of the rubric RUBRIC (an ID such as egov-2019, or a .toml file): score cells "
        "validated as they are typed, subtotals and total as formulas, a 基础数据 sheet listing the figures the "
        "formula indicators need; the header and the indicators cannot be changed.",
    "写出的空白评分表（.xlsx）": "blank form to write (.xlsx)",
    "评分规则文件：从评分表起草（draft），或校验（check）。": "Rubric files: draft one from a scoring sheet, or check one.",
    "从 WORKBOOK 的指标表与评分标准起草评分规则（TOML），读不懂的评分标准留作 TODO 注释。":
        "Draft a rubric (TOML) from the indicator table and 评分标准 of WORKBOOK; criteria not understood are "
        "left as TODO comments.",
    "工作簿中的评分表名称（默认第一个评分表）": "name of the scoring sheet in the workbook (default: the first one)",
    "写出的评分规则 .toml": "rubric .toml to write",
    "校验评分规则文件 FILE：每个问题给出文件、行号与指标。退出码 0 无问题，1 有问题。":
        "Check the rubric file FILE: each problem names the file, line and indicator. Exit code 0 no problem, "
        "1 some problem.",
}
