"""The reasons a file could not be opened or read, and the notes of a copy made from a converted or
decrypted file (key -> (zh, en)): each says what the user should do. Part of phrases.LABELS."""
from __future__ import annotations

OPENING: dict[str, tuple[str, str]] = {
    "reason.cannot_open": ("无法打开文件：{detail}", "the file cannot be opened: {detail}"),
    "reason.empty": ("文件为空（0 字节）", "the file is empty (0 bytes)"),
    "reason.not_xlsx": ("不是 Excel 工作簿（.xlsx）：文件内容不是 xlsx 格式，可能是改了扩展名的 CSV 或其他文件",
                        "not an Excel workbook (.xlsx): the content is not xlsx, perhaps a CSV or another file "
                        "renamed"),
    "reason.no_workbook": ("不是 Excel 工作簿：压缩包中没有工作簿内容",
                           "not an Excel workbook: the zip package holds no workbook"),
    "reason.too_big_unpacked": ("文件解压后超过 512 MB，疑为异常构造的文件，已拒绝读取",
                                "the file unpacks to more than 512 MB, likely a malformed file: refused"),
    "reason.entities": ("文件含 XML 实体声明（可能是恶意构造的文件），已拒绝读取",
                        "the file declares XML entities (possibly a malicious file): refused"),
    "reason.bad_zip": ("文件已损坏或不完整（zip 结构无法解析），可能未复制完整",
                       "the file is damaged or incomplete (its zip structure cannot be read): perhaps not fully "
                       "copied"),
    "reason.unzip": ("文件无法解压：{detail}", "the file cannot be unpacked: {detail}"),
    "reason.damaged": ("工作簿无法打开（内容损坏）：{detail}", "the workbook cannot be opened (damaged content): {detail}"),
    "reason.no_table": ("未找到评分表：没有一张工作表含“三级指标”“评分”等表头",
                        "no scoring sheet found: no worksheet has headers such as “三级指标” and “评分”"),
    "reason.sheet_too_big": ("工作表“{title}”过大（{rows} 行 × {columns} 列）",
                             "worksheet “{title}” is too large ({rows} rows × {columns} columns)"),
    # an OLE2 compound file (.xls, .et, an encrypted workbook, or no workbook at all): read/sources.py
    "reason.password_needed": ("文件设有打开密码（已加密）：请用 --password 给出密码（或设置环境变量 PERFEVAL_PASSWORD）后再复核",
                               "the file has an opening password: give it with --password (or set the "
                               "PERFEVAL_PASSWORD environment variable) and check it again"),
    "reason.password_wrong": ("文件设有打开密码（已加密），所给密码不正确：请核对 --password 或 PERFEVAL_PASSWORD 后再复核",
                              "the file has an opening password and the password given is wrong: correct "
                              "--password or PERFEVAL_PASSWORD and check it again"),
    "reason.encryption_unsupported": ("文件设有打开密码，但其加密方式无法解开（{detail}）：请在 Excel 或 WPS 中去除密码后再提交",
                                      "the file has an opening password but its encryption cannot be undone "
                                      "({detail}): remove the password in Excel or WPS and submit it again"),
    "reason.legacy_unreadable": ("旧版工作簿（{kind}）无法读取（{detail}）：请在 Excel 或 WPS 中另存为 .xlsx 后再提交",
                                 "the legacy workbook ({kind}) cannot be read ({detail}): save it as .xlsx in "
                                 "Excel or WPS and submit it again"),
    "reason.not_a_workbook_ole": ("不是 Excel 工作簿：文件是 Office 复合文档（如 Word .doc、PowerPoint .ppt），其中没有工作表；"
                                  "请提交评分表的 Excel 文件",
                                  "not an Excel workbook: the file is an Office compound document (such as a "
                                  "Word .doc or PowerPoint .ppt) with no worksheet in it; submit the scoring "
                                  "sheet's Excel file"),
    "reason.ole_damaged": ("文件已损坏或不完整（Office 复合文档结构无法解析），可能未复制完整：请重新复制或从原处再次导出",
                           "the file is damaged or incomplete (its Office compound-file structure cannot be "
                           "read), perhaps not fully copied: copy it again or export it again from its source"),
    "reason.ole_here": ("旧版 .xls/.et 或设有打开密码的工作簿，此处不能直接读取：请用 perfeval check 复核，或另存为 .xlsx",
                        "a legacy .xls/.et or password-protected workbook cannot be read here: check it with "
                        "perfeval check, or save it as .xlsx"),
    # notes of an annotated copy made from a converted or decrypted file (汇总 and output_notes)
    "source.converted": ("本复核副本由 {kind} 文件转换为 .xlsx：只带有各工作表的数值、合并单元格与列宽；原文件的格式（字体、"
                         "边框、颜色、行高）、公式（只保留文件中保存的计算结果）、批注与图片均未带入。原文件未被改动",
                         "this copy was converted from a {kind} file to .xlsx: it carries each sheet's values, merged "
                         "cells and column widths only; the original's formatting (fonts, borders, colours, row "
                         "heights), formulas (only their saved results are kept), comments and images are not "
                         "carried. The original file was not changed"),
    "source.converted_values": ("本复核副本由 {kind} 文件转换为 .xlsx：只带有各工作表的数值（及文件给出的合并单元格）；原文件的"
                                "格式（字体、边框、颜色、列宽、行高）、公式（只保留文件中保存的计算结果）、批注与图片均未带入。"
                                "原文件未被改动",
                                "this copy was converted from a {kind} file to .xlsx: it carries each sheet's values "
                                "(and merged cells where the file gives them) only; the original's formatting (fonts, "
                                "borders, colours, column widths, row heights), formulas (only their saved results are "
                                "kept), comments and images are not carried. The original file was not changed"),
    "source.decrypted": ("原文件设有打开密码，已用所给密码打开；本复核副本不设密码，请妥善保管",
                         "the original has an opening password and was opened with the password given; this "
                         "copy has no password: keep it safe"),
}
