"""The catalogue of user-facing input messages: one `Bi` template per `Issue` code.

A template says what is wrong, what was expected, and how to fix it, in that order, separated by
semicolons. `tests/test_bad_input.py` renders every code in both languages and checks that each is
produced by at least one real input; `tests/test_messages_zh.py` checks that `--lang zh` output
carries no English words but identifiers.

Parameters are values from the file (ids, keys, numbers: shown as they are) or landopt's own words,
which are always `Bi`s, written where they are made (a schema description next to its key, a
placeholder next to the code that uses it); nothing is translated by looking up its English. A
suggestion is data: `Issue.suggest` holds the suggested word, and `render` shows it in the
`{suggest}` slot (`DID_YOU_MEAN`), or the code's fix without one (`NO_SUGGESTION`). The YAML parser's
problems never reach a message: `landopt.input.reader` classifies them into the `yaml_*` codes below.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from landopt.i18n.text import Bi, printable

CATALOGUE: dict[str, Bi] = {
    # ---- files and encodings
    "file_missing": Bi(
        "file not found: {path}{suggest}; expected a scenario file (.yaml); check the path",
        "找不到文件: {path}{suggest}; 应为情景文件 (.yaml); 请检查路径",
    ),
    "file_not_regular": Bi(
        "{path} is not a regular file (a device, pipe or socket); expected a scenario file; "
        "name a .yaml file",
        "{path} 不是普通文件 (设备、管道或套接字); 应为情景文件; 请指定 .yaml 文件",
    ),
    "file_is_directory": Bi(
        "{path} is a directory; expected a scenario file; name a .yaml file inside it "
        "(or use `landopt check DIR` to run every scenario in a folder)",
        "{path} 是文件夹; 应为情景文件; 请指定其中的 .yaml 文件 (整个文件夹请用 `landopt check 目录`)",
    ),
    "file_link_loop": Bi(
        "{path} is a loop of symbolic links (it points back to itself); expected a scenario file; name the file "
        "the links should lead to",
        "{path} 是循环的符号链接 (最终指回自身); 应为情景文件; 请指定链接本应指向的文件",
    ),
    "file_unreadable": Bi(
        "{path} cannot be read ({error}); expected a readable scenario file; check the path and its permissions",
        "无法读取 {path} ({error}); 应为可读的情景文件; 请检查路径和权限",
    ),
    "file_too_large": Bi(
        "file is {size:,} bytes, larger than the limit of {limit:,} bytes; expected a scenario file; "
        "split it with `extends:` or check that this is the right file",
        "文件大小 {size:,} 字节, 超过上限 {limit:,} 字节; 应为情景文件; 请用 `extends:` 拆分或确认文件无误",
    ),
    "encoding_utf16": Bi(
        "file is {encoding} encoded; expected UTF-8; save it again as UTF-8 (in Notepad: Save As, Encoding: UTF-8)",
        "文件为 {encoding} 编码; 应为 UTF-8; 请另存为 UTF-8 (记事本: 另存为, 编码选 UTF-8)",
    ),
    "encoding_gbk": Bi(
        "file is not UTF-8: it looks GBK/GB18030-encoded (the default of Chinese Windows editors); "
        "expected UTF-8; save it again as UTF-8 (Notepad: Save As, Encoding: UTF-8) or run "
        "`iconv -f GBK -t UTF-8 in.yaml > out.yaml`",
        "文件不是 UTF-8 编码: 看起来是 GBK/GB18030 (中文 Windows 编辑器的默认编码); 应为 UTF-8; "
        "请另存为 UTF-8 (记事本: 另存为, 编码选 UTF-8) 或运行 `iconv -f GBK -t UTF-8 in.yaml > out.yaml`",
    ),
    "encoding_not_utf8": Bi(
        "file is not valid UTF-8 (byte {byte}); expected UTF-8 text; save it again as UTF-8",
        "文件不是有效的 UTF-8 (字节 {byte}); 应为 UTF-8 文本; 请另存为 UTF-8",
    ),
    "encoding_binary": Bi(
        "file contains NUL bytes; expected a YAML text file; this looks like a binary file (Excel? zip?)",
        "文件含有 NUL 字节; 应为 YAML 文本文件; 这像是二进制文件 (Excel? 压缩包?)",
    ),
    "file_empty": Bi(
        "file is empty; expected a mapping with at least `version`, `resources`, `sectors`, `areas`; "
        "start from scenarios/format_example.yaml",
        "文件为空; 应至少包含 `version`, `resources`, `sectors`, `areas`; 可参照 scenarios/format_example.yaml",
    ),
    "top_not_mapping": Bi(
        "the top level is {got}; expected a mapping of keys (version:, resources:, ...); "
        "remove a leading '-' or put the content under keys, or name a scenario file if this is not one",
        "顶层是 {got}; 应为键值映射 (version:, resources:, ...); 请去掉开头的 '-' 或把内容放到键下; 若此文件不是情景文件, 请改用情景文件",
    ),
    # ---- YAML
    "yaml_syntax": Bi(
        "YAML syntax error: the file cannot be read from this point on; expected valid YAML; check this line and "
        "the one before it",
        "YAML 语法错误: 文件从此处起无法读取; 应为有效的 YAML; 请检查此行及上一行",
    ),
    "yaml_indent": Bi(
        "YAML syntax error: this line does not fit the indentation of the lines before it (a key indented more or "
        "less than the other keys of its mapping, or a value that holds ': '); expected the keys of one mapping "
        "in one column; check the indentation of this line and the one before, and put a value that holds ': ' "
        "in quotes",
        "YAML 语法错误: 此行与前面各行的缩进不一致 (某个键比同一映射中的其他键缩进得多或少, 或某个值中含有 ': '); "
        "同一映射的键应从同一列开始; 请检查此行及上一行的缩进, 含有 ': ' 的值请加引号",
    ),
    "yaml_unclosed": Bi(
        "YAML syntax error: the {opener} {char!r} opened at line {line} is not closed; expected a closing {closer!r} (and "
        "commas between the items of a list or mapping in brackets); close it where the value ends",
        "YAML 语法错误: 第 {line} 行开始的{opener} {char!r} 没有闭合; 应有对应的 {closer!r} (方括号或花括号内各项之间用逗号分隔); "
        "请在值结束处补上",
    ),
    "yaml_missing_colon": Bi(
        "YAML syntax error: a key before this point has no ':' after it (or a quote is not closed); expected "
        "key: value; add the ':' and a space after the key, or close the quote",
        "YAML 语法错误: 此处之前有一个键后面缺少 ':' (或引号没有闭合); 应为 键: 值; 请在键后补上 ':' 和一个空格, 或闭合引号",
    ),
    "yaml_bad_char": Bi(
        "YAML syntax error: the character {char} cannot stand here (YAML reserves it, or it does not print); "
        "expected text, a number, a list or a mapping; put the value in quotes, or delete the character",
        "YAML 语法错误: 字符 {char} 不能出现在此处 (YAML 保留了该字符, 或它是不可显示的字符); 应为文本、数值、列表或映射; "
        "请给该值加引号, 或删除该字符",
    ),
    "yaml_stray_bracket": Bi(
        "YAML syntax error: {char!r} closes a bracket that is not open; expected brackets in pairs; delete it, or "
        "add the opening bracket it belongs to",
        "YAML 语法错误: {char!r} 所闭合的括号并未打开; 括号应成对出现; 请删除它, 或补上与之对应的开括号",
    ),
    "yaml_bad_escape": Bi(
        "YAML syntax error: '{escape}' is not an escape sequence that double quotes allow; expected `\\n`, `\\t`, "
        "`\\\\`, `\\\"` or `\\uXXXX` after a backslash; write the backslash twice, or use single quotes",
        "YAML 语法错误: 双引号内的 '{escape}' 不是允许的转义序列; 反斜杠后应为 `\\n`, `\\t`, `\\\\`, `\\\"` 或 `\\uXXXX`; "
        "请把反斜杠写两遍, 或改用单引号",
    ),
    "yaml_bad_anchor": Bi(
        "YAML syntax error: {char!r} starts an anchor (&) or an alias (*) but no name follows; expected &name or "
        "*name; write the name right after it, or put the value in quotes if {char!r} is part of the text",
        "YAML 语法错误: {char!r} 表示锚点 (&) 或别名 (*), 但后面没有名称; 应为 &名称 或 *名称; 请紧接着写上名称, "
        "若 {char!r} 是文本的一部分请给该值加引号",
    ),
    "yaml_undefined_alias": Bi(
        "YAML syntax error: the alias *{name} refers to no anchor; expected an anchor &{name} earlier in the file; "
        "define the anchor before the alias, or put the value in quotes if '*' is part of the text",
        "YAML 语法错误: 别名 *{name} 没有对应的锚点; 文件前面应有锚点 &{name}; 请在别名之前定义该锚点, "
        "若 '*' 是文本的一部分请给该值加引号",
    ),
    "yaml_tab": Bi(
        "tab character used for indentation; expected spaces (YAML forbids tabs); replace the tab with spaces",
        "用了制表符 (Tab) 缩进; 应使用空格 (YAML 不允许 Tab); 请把 Tab 换成空格",
    ),
    "yaml_duplicate_key": Bi(
        "duplicate key {key!r} (first at line {first}); expected each key once; delete or merge one of them",
        "重复的键 {key!r} (首次出现在第 {first} 行); 每个键只能出现一次; 请删除或合并其中一个",
    ),
    "yaml_alias_bomb": Bi(
        "document expands to {nodes:,} nodes through aliases (limit {limit:,}); expected a plain scenario; "
        "this looks like an alias bomb, so the file is refused",
        "经别名展开后文档有 {nodes:,} 个节点 (上限 {limit:,}); 应为普通情景文件; 疑似别名炸弹, 拒绝读取",
    ),
    "yaml_too_many_nodes": Bi(
        "file holds more than {limit:,} values (read so far: {nodes:,}); expected a scenario (the largest landopt "
        "knows of holds a few hundred thousand); check that this is the right file, or split the data",
        "文件所含的值超过 {limit:,} 个 (已读 {nodes:,} 个); 应为情景文件 (已知最大的情景也只有几十万个值); "
        "请确认文件无误, 或拆分数据",
    ),
    "yaml_too_deep": Bi(
        "nesting deeper than {limit} levels; expected a shallow scenario file; check for runaway brackets",
        "嵌套超过 {limit} 层; 情景文件不应如此深; 请检查括号是否失控",
    ),
    "yaml_tag_refused": Bi(
        "YAML tag {tag} refused; expected plain values (only !!str, !!int, !!float, !!bool, !!null are allowed); "
        "remove the tag: landopt never constructs objects from a file",
        "拒绝 YAML 标签 {tag}; 只允许普通值 (!!str, !!int, !!float, !!bool, !!null); 请删除该标签: landopt 不会从文件构造对象",
    ),
    "yaml_bad_tagged_value": Bi(
        "{raw!r} is not a valid {tag}; expected a value of that type; fix the value or drop the tag",
        "{raw!r} 不是有效的 {tag}; 应为该类型的值; 请修改值或删除标签",
    ),
    "yaml_complex_key": Bi(
        "a mapping or list used as a key; expected a plain key; write the key as text",
        "用映射或列表作了键; 键应为普通文本; 请改写该键",
    ),
    # ---- tables (landopt.input.tables): a section's rows from a .csv file or an .xlsx sheet
    "table_missing": Bi(
        "table file not found: {target!r} (looked for {path}); expected a .csv or .xlsx file, its path relative to "
        "the YAML file that names it; check the path in `from:`",
        "找不到表格文件: {target!r} (查找位置 {path}); 应为 `.csv` 或 `.xlsx` 文件, 路径相对于引用它的 YAML 文件; "
        "请检查 `from:` 中的路径",
    ),
    "table_kind": Bi(
        "{target!r} is not a table landopt reads ({suffix}); expected a .csv file or an .xlsx workbook; "
        "in Excel: Save As, Excel Workbook (*.xlsx) or CSV UTF-8",
        "{target!r} 不是 landopt 能读取的表格 ({suffix}); 应为 `.csv` 文件或 `.xlsx` 工作簿; "
        "请在 Excel 中另存为 `Excel 工作簿 (*.xlsx)` 或 `CSV UTF-8`",
    ),
    "table_sheet_csv": Bi(
        "`sheet:` is given for the CSV file {target!r}, which has no sheets; expected `sheet:` only with an .xlsx "
        "file; remove `sheet:`, or name the workbook",
        "表格文件 {target!r} 没有工作表, 却写了 `sheet:`; `sheet:` 只用于 `.xlsx` 文件; 请删除 `sheet:` 或改为引用工作簿",
    ),
    "table_sheet_missing": Bi(
        "the workbook {path} has no sheet {got!r}; expected a sheet's name or its place (1 = the first): "
        "{known}{suggest}; fix `sheet:`",
        "工作簿 {path} 中没有工作表 {got!r}; 应为工作表名称或其序号 (1 = 第一个): {known}{suggest}; 请修改 `sheet:`",
    ),
    "table_needs_extra": Bi(
        "reading {path} needs the Python package {library}, which is not installed; expected landopt with its "
        "`tables` extra; run `pip install 'landopt[tables]'` (or save the sheet as CSV UTF-8)",
        "读取 {path} 需要 Python 包 {library}, 但未安装; 应安装 landopt 的 `tables` 扩展; "
        "请运行 `pip install 'landopt[tables]'` (或将工作表另存为 `CSV UTF-8`)",
    ),
    "table_unreadable": Bi(
        "the table {path} cannot be read ({error}); expected a .csv text file (UTF-8 or GBK) or an .xlsx workbook; "
        "open it in Excel and save it again",
        "无法读取表格 {path} ({error}); 应为 `.csv` 文本文件 (UTF-8 或 GBK) 或 `.xlsx` 工作簿; 请在 Excel 中打开后重新保存",
    ),
    "table_empty": Bi(
        "the table {path} has no rows; expected a header row and one row per entry; fill it in, or remove `from:`",
        "表格 {path} 没有数据行; 应有一行表头和每个条目一行; 请填写表格, 或删除 `from:`",
    ),
    "table_no_id": Bi(
        "no column gives each row's id (first row: {got}); expected a column headed id (or 编号, 代码); "
        "add one, with a short id such as core or a017 in each row",
        "没有给出每行编号的列 (第一行: {got}); 应有一列表头为 `id` (或 编号、代码); "
        "请添加该列, 每行填写简短的编号, 如 `core` 或 `a017`",
    ),
    "table_header_unknown": Bi(
        "the column header {got!r} names no key of {section}; expected one of: {allowed}, a dotted key "
        "(existing.tax, per_mu.crystal.energy) or a Chinese header of docs/format.md, Tables{suggest}",
        "列标题 {got!r} 不对应 {section} 的任何键; 应为其中之一: {allowed}, "
        "带点的键 (`existing.tax`, `per_mu.crystal.energy`) 或 `docs/format.md` 表格一节中的中文表头{suggest}",
    ),
    "table_header_unit": Bi(
        "the unit {unit!r} in the header {got!r} is not one landopt knows; expected a unit of {key} such as 亩, "
        "万元, tce, t, 万元/亩; fix the unit in the header",
        "表头 {got!r} 中的单位 {unit!r} 无法识别; 应为 {key} 的单位, 如 亩、万元、tce、t、万元/亩; 请修改表头中的单位",
    ),
    "table_header_unit_not_here": Bi(
        "the header {got!r} gives a unit ({unit}) for {key}, which is not a number; expected a unit only over a "
        "column of figures; remove the unit from the header",
        "表头 {got!r} 为 {key} 给出了单位 ({unit}), 但该列不是数值; 只有数值列可以带单位; 请删除表头中的单位",
    ),
    "table_duplicate_column": Bi(
        "a second column for {key} (the first is at {first}); expected one column per key; remove or rename one",
        "{key} 有第二列 (第一列在 {first}); 每个键只能有一列; 请删除或改名其中一列",
    ),
    "table_row_no_id": Bi(
        "row {row} has values but no id; expected an id in every row with values; write the id, or clear the row",
        "第 {row} 行有数据但没有 id; 每个有数据的行都应有 id; 请填写 id, 或清空该行",
    ),
    "table_duplicate_id": Bi(
        "the id {id!r} is given twice (first in row {first}); expected one row per id; merge the two rows or "
        "rename one",
        "id {id!r} 出现两次 (第一次在第 {first} 行); 每个 id 只能有一行; 请合并这两行或修改其中一个 id",
    ),
    "table_value_twice": Bi(
        "the row gives {key} twice, for every year and for one year (the other cell is {first}); expected either "
        "one value for every year or one column per year; clear one of the two cells",
        "该行两次给出 {key}: 一个适用于每年, 一个只适用于某一年 (另一个单元格为 {first}); "
        "应只给一个适用于每年的值, 或每年一列; 请清空其中一个单元格",
    ),
    "table_not_number": Bi(
        "{raw!r} is not a number; expected a number (or a number with its unit, such as 1200 亩); write the figure, "
        "or leave the cell empty when it is not known",
        "{raw!r} 不是数值; 应为数值 (或带单位的数值, 如 1200 亩); 请填写数值, 未知时请留空",
    ),
    "table_cell_error": Bi(
        "the cell shows Excel's error {raw}; expected a value; fix the formula in Excel (or type the value) "
        "and save",
        "单元格显示 Excel 错误 {raw}; 应为数值; 请在 Excel 中修正公式 (或直接填写数值) 后保存",
    ),
    "table_formula_no_value": Bi(
        "the cell holds the formula {formula} but no value saved with it (the file was written by a program "
        "that does not calculate); expected a value; open the file in Excel and save it, or type the value",
        "单元格中的公式 {formula} 没有保存的计算结果 (文件由不计算公式的程序写出); 应为数值; "
        "请在 Excel 中打开并保存, 或直接填写数值",
    ),
    "table_formulas_read": Bi(
        "{n} cells hold formulas ({cells}); their values as Excel last calculated and saved them are read; "
        "recalculate and save in Excel if their inputs changed since",
        "{n} 个单元格为公式 ({cells}); 读取的是 Excel 上次计算并保存的值; "
        "如其引用的数据已改动, 请在 Excel 中重新计算并保存",
    ),
    "table_hidden_rows": Bi(
        "rows {rows} are hidden and are skipped; expected the rows of the table to be visible; unhide them in "
        "Excel to include them, or delete them",
        "第 {rows} 行为隐藏行, 已跳过; 表格的行应均为可见; 如需计入请在 Excel 中取消隐藏, 否则请删除",
    ),
    "yaml_bad_merge": Bi(
        "`<<` merges a value that is not a mapping; expected an alias of a mapping (<<: *defaults); fix the alias",
        "`<<` 合并的不是映射; 应为映射的别名 (<<: *defaults); 请修正别名",
    ),
    "yaml_multiple_documents": Bi(
        "file holds more than one YAML document ('---'); expected one scenario per file; split the file",
        "文件含多个 YAML 文档 ('---'); 每个文件只能有一个情景; 请拆分文件",
    ),
    # ---- numbers and units
    "number_nan": Bi(
        "{raw} is not a number (NaN); expected a finite number; write the value, or delete the key",
        "{raw} 不是数 (NaN); 应为有限数值; 请填写数值或删除该键",
    ),
    "number_inf": Bi(
        "{raw} is infinite; expected a finite number; leave the key out for 'no limit'",
        "{raw} 是无穷大; 应为有限数值; 不设上限请直接省略该键",
    ),
    "number_overflow": Bi(
        "{raw} is too large (overflows a 64-bit float or exceeds 1e18); expected a finite number; "
        "check the exponent or the unit",
        "{raw} 数值过大 (超出 64 位浮点或大于 1e18); 应为有限数值; 请检查指数或单位",
    ),
    "fullwidth_colon": Bi(
        "{got!r} has a full-width colon '：' (typed by a Chinese input method) where a key ends; YAML needs the "
        "ASCII colon ':' and a space; write '{fixed}'",
        "{got!r} 的键后用了全角冒号 '：' (中文输入法输入); YAML 要求半角冒号 ':' 加一个空格; 请写 '{fixed}'",
    ),
    "one_id_for_a_list": Bi(
        "{got!r} is read as one id containing the {name} {char!r}, not as a list; expected ids separated by ASCII "
        "commas inside [ ]; write {fixed}",
        "{got!r} 会被读成一个含{name} {char!r} 的标识, 而不是列表; 应为方括号内用半角逗号分隔的标识; 请写 {fixed}",
    ),
    "fullwidth_punctuation": Bi(
        "id {got!r} contains the {name} {char!r} ({code}, typed by a Chinese input method); expected ASCII "
        "punctuation in ids, so that they match where they are used; write {fixed!r}",
        "标识 {got!r} 含有{name} {char!r} ({code}, 中文输入法输入); 标识中应使用半角标点, 以便与引用处一致; "
        "请写 {fixed!r}",
    ),
    "control_char": Bi(
        "{got!r} contains the invisible character {code} ({name}), which changes how the text reads or makes "
        "two ids that look alike differ; expected plain text; delete it (retype the value)",
        "{got!r} 含有不可见字符 {code}, 它会改变文字的显示或使看起来相同的标识不同; 应为普通文本; "
        "请删除该字符 (重新输入该值)",
    ),
    "missing_space_after_colon": Bi(
        "key {got!r} has no value: YAML ends a key only at a colon followed by a space, so this is one key "
        "read as empty, and an empty value deletes a key; expected key: value; write {fixed!r}",
        "键 {got!r} 没有值: YAML 只在冒号后有空格时才结束一个键, 所以这被读成一个空值的键, 而空值会删除键; "
        "应为 键: 值; 请写 {fixed!r}",
    ),
    "thousands_separator": Bi(
        "{raw} is written with a thousands separator inside {{ }}, where YAML reads the comma as the end of the "
        "value (it would be read as {head} and a stray key); expected a number without separators; write {fixed}",
        "{raw} 在 {{ }} 中使用了千位分隔符, YAML 会把逗号当作值的结束 (将被读成 {head} 和一个多余的键); "
        "应为不带分隔符的数; 请写 {fixed}",
    ),
    "number_underflow": Bi(
        "{raw!r} is too small to compute with (nonzero, below {limit:g} in the scenario's units): a solver reads it "
        "as 0 or fails; expected 0 or a number of at least {limit:g}; write 0, or check the unit (kg vs 万t)",
        "{raw!r} 太小, 无法计算 (非零且小于 {limit:g}, 按情景单位): 求解器会把它当作 0 或出错; 应为 0 或不小于 {limit:g} "
        "的数; 请写 0, 或检查单位 (kg 与 万t)",
    ),
    "growth_too_large": Bi(
        "growth {value:g} raises the bound by {percent:,.0f}% a year; expected a yearly rate as a fraction, "
        "such as 0.15 for 15%; write {fixed:g}",
        "growth {value:g} 表示每年增长 {percent:,.0f}%; 应为小数形式的年增长率, 如 15% 写 0.15; 请写 {fixed:g}",
    ),
    "bound_overflow": Bi(
        "bound of rule {rule!r} reaches {value:.3g} in {year} (growth compounds over the years); expected bounds "
        "below 1e18 that a solver can hold; lower growth or the bound",
        "规则 {rule!r} 的界限在 {year} 年达到 {value:.3g} (growth 按年复利); 界限应小于 1e18, 以便求解器处理; "
        "请降低 growth 或界限",
    ),
    "negative": Bi(
        "{value:g} is negative; expected a number >= 0; fix the sign",
        "{value:g} 是负数; 应为 >= 0 的数; 请修正符号",
    ),
    "unknown_unit": Bi(
        "unknown unit {unit!r} in {raw!r}; expected one of {known}; write the quantity with a known unit, "
        "e.g. '500 万元' or '17.24 km2'",
        "未知单位 {unit!r} ({raw!r}); 应为以下之一: {known}; 请改用已知单位, 如 '500 万元' 或 '17.24 km2'",
    ),
    "bad_quantity": Bi(
        "{raw!r} is not a number or a quantity; expected a number or 'number unit' such as '1200 亩'; "
        "fix the value (write numbers without thousands separators: 1000, not 1,000)",
        "{raw!r} 不是数值或带单位的量; 应为数值或 '数值 单位', 如 '1200 亩'; 请修改 (数字不要加千位分隔符: 写 1000, 不写 1,000)",
    ),
    "wrong_dimension": Bi(
        "{raw!r} is {got}; expected {expected}{example}; use a unit of the right kind",
        "{raw!r} 的量纲是 {got}; 应为 {expected}{example}; 请改用正确量纲的单位",
    ),
    "no_unit_known": Bi(
        "{raw!r} carries a unit but metric {metric!r} declares none; expected a plain number; "
        "declare `unit:` for {metric!r} under metrics: or write a plain number",
        "{raw!r} 带单位, 但指标 {metric!r} 未声明单位; 应为纯数值; 请在 metrics: 下为 {metric!r} 声明 unit, 或写纯数值",
    ),
    "share_range": Bi(
        "share bound {value:g} is outside [0, 1]; expected a fraction such as 0.7 or '70%'; "
        "write 0.7 (not 70) for 70%",
        "比例界限 {value:g} 不在 [0, 1] 内; 应为小数如 0.7 或 '70%'; 70% 请写 0.7 (不是 70)",
    ),
    # ---- schema
    "unknown_key": Bi(
        "unknown key {key!r}; expected one of: {allowed}{suggest}",
        "未知的键 {key!r}; 可用的键: {allowed}{suggest}",
    ),
    "misspelt_required_key": Bi(
        "unknown key {key!r}, and the required key {required!r} is missing; expected one of: {allowed}; "
        "did you mean {required!r}? Rename {key!r} to {required!r} ({expected})",
        "未知的键 {key!r}, 且缺少必填键 {required!r}; 可用的键: {allowed}; "
        "是否想写 {required!r}? 请把 {key!r} 改为 {required!r} ({expected})",
    ),
    "unknown_key_empty": Bi(
        "unknown key {key!r} with no value; expected one of: {allowed}{suggest}; if it belongs to the value "
        "before it, a comma inside {{ }} split that value: put the value in quotes",
        "未知的键 {key!r} (没有值); 可用的键: {allowed}{suggest}; 如果它本是前一个值的一部分, 是 {{ }} 中的逗号把值截断了: "
        "请给该值加引号",
    ),
    "missing_key": Bi(
        "required key {key!r} is missing; expected {expected}; add it",
        "缺少必填键 {key!r}; 应为 {expected}; 请补上",
    ),
    "wrong_type": Bi(
        "{got} is not valid here; expected {expected}; fix the value",
        "{got} 在此无效; 应为 {expected}; 请修改",
    ),
    "bad_version": Bi(
        "version {got!r} is not supported; expected version: 1; set `version: 1`",
        "不支持的版本 {got!r}; 应为 version: 1; 请写 `version: 1`",
    ),
    "unknown_rule_kind": Bi(
        "unknown rule kind {got!r}; expected one of: cap, floor, share, intensity, count{suggest}",
        "未知的规则类型 {got!r}; 应为 cap, floor, share, intensity, count 之一{suggest}",
    ),
    "bad_each": Bi(
        "each: {got!r} is not allowed; expected area, sector, year, project or area_tag (or a list of them); "
        "fix the value",
        "each: {got!r} 不允许; 应为 area, sector, year, project 或 area_tag (或它们的列表); 请修改",
    ),
    "bad_role": Bi(
        "role {got!r} is not a role; expected one of: main, sub, linked, outside{suggest}",
        "角色 {got!r} 无效; 应为 main, sub, linked, outside 之一{suggest}",
    ),
    "bad_accounting": Bi(
        "accounting {got!r} is not allowed; expected flow or level; fix the value",
        "accounting {got!r} 不允许; 应为 flow 或 level; 请修改",
    ),
    "bad_price_basis": Bi(
        "price_basis {got!r} is not allowed; expected one_off (paid once, e.g. a land price) or annual (paid every "
        "year, e.g. emission rights in 元/吨·年); write the one that says how the price is paid{suggest}",
        "price_basis {got!r} 不允许; 应为 one_off (一次性支付, 如土地价格) 或 annual (按年支付, 如排污权 元/吨·年); 请按单价的支付方式填写其一{suggest}",
    ),
    # ---- references
    "unknown_id": Bi(
        "unknown {what} {got!r}; expected one of: {known}{suggest}",
        "未知的{what} {got!r}; 应为以下之一: {known}{suggest}",
    ),
    "unknown_metric": Bi(
        "metric {got!r} is not defined; expected land, a resource or a metrics: entry (known: {known}){suggest}",
        "指标 {got!r} 未定义; 应为 `land`、资源或 metrics: 条目 (已知: {known}){suggest}",
    ),
    "unknown_metric_key": Bi(
        "{got!r} is not land, a resource or a metric, so it would be a new quantity that nothing limits; "
        "expected one of: {known}{suggest}",
        "{got!r} 不是 `land`、资源或指标, 会成为一个不受任何约束的新量; 应为以下之一: {known}{suggest}",
    ),
    "duplicate_rule_id": Bi(
        "rule id {got!r} is used twice (also rule #{other}); expected unique ids; rename one",
        "规则 id {got!r} 重复 (另见第 {other} 条规则); id 必须唯一; 请改名其一",
    ),
    "rule_bound_missing": Bi(
        "rule {rule!r} ({kind}) has no bound; expected {expected}; add it",
        "规则 {rule!r} ({kind}) 没有界限; 应有 {expected}; 请补上",
    ),
    "rule_bound_wrong": Bi(
        "a {kind} rule takes {allowed}, not {got!r}; expected {allowed}{hint}",
        "{kind} 规则只接受 {allowed}, 不接受 {got!r}; 应为 {allowed}{hint}",
    ),
    "rule_key_not_for_kind": Bi(
        "key {got!r} does not apply to a {kind} rule; expected only keys of a {kind} rule; remove it{hint}",
        "键 {got!r} 不适用于 {kind} 规则; 只能用 {kind} 规则的键; 请删除{hint}",
    ),
    "min_above_max": Bi(
        "min {lo:g} is above max {hi:g}; expected min <= max; swap or fix them",
        "min {lo:g} 大于 max {hi:g}; 应有 min <= max; 请调换或修正",
    ),
    "year_selector_place": Bi(
        "`year` may only appear in `where`; expected it in the rule's where:; move it",
        "`year` 只能出现在 where 中; 应写在规则的 where: 下; 请移过去",
    ),
    "year_unknown": Bi(
        "year {got!r} is not a scenario year; expected one of {known}; fix the year or scenario.years",
        "年份 {got!r} 不在情景年份中; 应为 {known} 之一; 请修正年份或 scenario.years",
    ),
    "years_missing": Bi(
        "no value for year(s) {missing}; expected a number for every scenario year {known}, or one number "
        "for all years; add the missing years",
        "缺少年份 {missing} 的值; 每个情景年份 {known} 都需要数值, 或用一个数值代表所有年份; 请补上",
    ),
    "year_map_single": Bi(
        "a year mapping needs scenario.years; expected a plain number; set scenario.years or write one number",
        "按年映射需要 scenario.years; 应为单个数值; 请设置 scenario.years 或只写一个数",
    ),
    "bad_years": Bi(
        "years {got!r} are not valid; expected a list of increasing years or 'first..last' such as 2021..2025; "
        "fix the value",
        "年份 {got!r} 无效; 应为递增年份列表或 'first..last' (如 2021..2025); 请修改",
    ),
    "growth_with_map": Bi(
        "growth given with a year mapping; expected either growth with one bound or a mapping without growth; "
        "drop one of them",
        "同时给了 growth 和按年映射; 二者只能取其一; 请删除其一",
    ),
    "land_in_per_mu": Bi(
        "`land` in a per_mu table; expected other metrics only (land is the allocation itself, 1 亩 per 亩); "
        "remove it",
        "per_mu 表中出现 `land`; 用地就是分配量本身 (每亩 1 亩); 请删除",
    ),
    "sector_not_allowed": Bi(
        "sector {sector!r} is not allowed in area {area!r} (not in its sectors: list); expected one of {known}; "
        "add it to the area's sectors or remove this entry",
        "行业 {sector!r} 不在片区 {area!r} 的允许行业 (sectors:) 中; 应为 {known} 之一; 请加入 sectors 或删除此项",
    ),
    "objective_empty": Bi(
        "objective has no metric; expected maximize: or minimize: with a metric name or a mapping of weights; "
        "add one",
        "目标函数没有指标; 应写 maximize: 或 minimize: 加指标名或权重映射; 请补上",
    ),
    "objective_both": Bi(
        "an objective stage has both maximize and minimize; expected one of them; split it into two stages",
        "同一目标阶段同时有 maximize 和 minimize; 只能有其一; 请拆成两个阶段",
    ),
    "resource_no_budget": Bi(
        "resource {rid!r} has no budget; expected budget: a number or a mapping year → number; add it",
        "资源 {rid!r} 没有预算; 应有 budget: 数值或 年份 → 数值 映射; 请补上",
    ),
    "capacity_below_min": Bi(
        "min_land {lo:g} exceeds capacity {hi:g}; expected min_land <= capacity; fix one of them",
        "min_land {lo:g} 超过 capacity {hi:g}; 应有 min_land <= capacity; 请修正其一",
    ),
    "no_allowed_pairs": Bi(
        "no area may receive any sector (every sectors: list is empty or names nothing); expected at least one "
        "allowed (area, sector) pair; fix the sectors: lists",
        "没有任何片区可接收任何行业; 至少需要一个允许的 (片区, 行业) 组合; 请修正 sectors: 列表",
    ),
    # ---- extends, variants, --set
    "extends_not_scenario": Bi(
        "{path}, named by `extends`, is not a scenario file (its top level is not scenario keys), so none of it is "
        "shown; expected a scenario or a fragment of one; name the right file",
        "`extends` 指向的 {path} 不是情景文件 (顶层不是情景的键), 故不显示其内容; 应为情景文件或其片段; 请指定正确的文件",
    ),
    "extends_outside": Bi(
        "`extends: {target}` leads outside the scenario's folder ({folder}) and the current folder; expected a file "
        "in one of them, so that a scenario cannot read other files of the machine; move the base file next to "
        "the scenario, or run landopt from a folder that holds both",
        "`extends: {target}` 指向情景所在文件夹 ({folder}) 和当前文件夹之外; 应为其中之一内的文件, 以免情景读取本机的其他文件; "
        "请把基础文件放到情景旁边, 或在同时包含两者的文件夹中运行 landopt",
    ),
    "extends_too_deep": Bi(
        "the `extends` chain is longer than {limit} files; expected a short chain (a base and a few layers); "
        "merge some of the files",
        "`extends` 链超过 {limit} 个文件; 应为较短的链 (一个基础文件加几层); 请合并其中一些文件",
    ),
    "extends_link_loop": Bi(
        "`extends: {target}` is a loop of symbolic links; expected a file; name the file the link should lead to",
        "`extends: {target}` 是循环的符号链接; 应为文件; 请指定链接本应指向的文件",
    ),
    "extends_missing": Bi(
        "extends: {target!r} not found (looked for {path}); expected a path relative to this file; fix the path",
        "extends: 找不到 {target!r} (查找位置 {path}); 应为相对本文件的路径; 请修正路径",
    ),
    "extends_directory": Bi(
        "extends: {target!r} is a directory; expected a .yaml file; name the file",
        "extends: {target!r} 是文件夹; 应为 .yaml 文件; 请指定文件",
    ),
    "extends_cycle": Bi(
        "extends cycle: {cycle}; expected a chain without loops; remove one extends",
        "extends 形成循环: {cycle}; 继承链不能成环; 请删除其中一个 extends",
    ),
    "extends_type": Bi(
        "extends must be a path or a list of paths; expected text such as 'base.yaml'; fix the value",
        "extends 应为路径或路径列表; 如 'base.yaml'; 请修改",
    ),
    "variant_unknown": Bi(
        "variant {got!r} is not defined; expected one of: {known}{suggest}",
        "方案变体 {got!r} 未定义; 应为以下之一: {known}{suggest}",
    ),
    "variant_conflict": Bi(
        "variants {a!r} and {b!r} both set {key}; expected each key set by one selected variant; "
        "select only one of them or move the key",
        "方案变体 {a!r} 与 {b!r} 都设置了 {key}; 同一键只能由一个变体设置; 请只选其一或调整",
    ),
    "variant_nested": Bi(
        "a variant may not define variants: or extends:; expected plain overrides; move them to the scenario",
        "变体内不能再定义 variants: 或 extends:; 只能写覆盖项; 请移到情景本身",
    ),
    "set_syntax": Bi(
        "--set {got!r} is not KEY=VALUE; expected e.g. --set resources.energy.budget=25000; fix the option",
        "--set {got!r} 不是 KEY=VALUE 形式; 如 --set resources.energy.budget=25000; 请修改",
    ),
    "set_path_missing": Bi(
        "--set {path}: {missing!r} does not exist under {parent}; expected one of: {known}{suggest}",
        "--set {path}: {parent} 下不存在 {missing!r}; 应为以下之一: {known}{suggest}",
    ),
    "set_type": Bi(
        "--set {path}={value!r} changes a {old} into a {new}; expected a {old}; fix the value",
        "--set {path}={value!r} 把 {old} 改成了 {new}; 应为 {old}; 请修改",
    ),
    # ---- landopt sweep (--vary, --zip, --samples, --out, --resume, --scheduler)
    "vary_syntax": Bi(
        "--vary {got!r} is not `PATH=V1,V2,...` or `PATH=START:STOP:N`; expected e.g. "
        "`--vary resources.energy.budget=20000,25000` or `--vary resources.land.budget=600:700:5`; fix the option",
        "--vary {got!r} 不是 `PATH=V1,V2,...` 或 `PATH=START:STOP:N` 形式; 应如 "
        "`--vary resources.energy.budget=20000,25000` 或 `--vary resources.land.budget=600:700:5`; 请修改",
    ),
    "vary_range": Bi(
        "--vary {got!r}: {problem}; expected `START:STOP:N`, two numbers in one unit and a whole number N >= 1 of "
        "points (N may be left out with --samples); fix the range",
        "--vary {got!r}: {problem}; 应为 `START:STOP:N`, 即同一单位的两个数值和取点个数 N (不小于 1 的整数; "
        "用 --samples 随机抽样时可省略 N); 请修改",
    ),
    "sweep_vary": Bi(
        "{problem}; expected a list of values such as [500, 600, 700], one value, or a range such as '0.6:0.8:3' "
        "(two numbers in one unit and a whole number N >= 1 of points; N may be left out with --samples); "
        "fix the entry",
        "{problem}; 应为取值列表 (如 [500, 600, 700])、单个取值, 或区间 (如 '0.6:0.8:3', 即同一单位的两个数值和"
        "不小于 1 的整数取点个数 N; 用 --samples 随机抽样时可省略 N); 请修改该项",
    ),
    "vary_path_missing": Bi(
        "--vary {path}: {missing!r} does not exist under {parent}; expected one of: {known}{suggest}",
        "--vary {path}: {parent} 下不存在 {missing!r}; 应为以下之一: {known}{suggest}",
    ),
    "vary_type": Bi(
        "--vary {path}={value!r} changes a {old} into a {new}; expected a {old}; fix the value",
        "--vary {path}={value!r} 把 {old} 改成了 {new}; 应为 {old}; 请修改",
    ),
    "vary_twice": Bi(
        "--vary names {path} twice; expected each path once; give all its values in one --vary",
        "--vary 两次指定了 {path}; 每个路径只能指定一次; 请把它的取值写在同一个 --vary 中",
    ),
    "sweep_option": Bi(
        "{key}: {problem}; expected {expected}; change the options",
        "{key}: {problem}; 应为{expected}; 请修改选项",
    ),
    "sweep_dir_taken": Bi(
        "--out {path} holds a sweep already ({value} points done); expected a new or empty folder; add --resume "
        "to finish that sweep, or give another --out",
        "--out {path} 中已有一次参数扫描 (已完成 {value} 个点); 应为新的或空的文件夹; 如要续算请加 --resume, "
        "否则请另指定 --out",
    ),
    "sweep_resume_differs": Bi(
        "--resume: {path} holds another sweep ({key} was {old}, now {new}); expected the same FILE and options as "
        "the sweep it continues; run it as it was, or give another --out",
        "--resume: {path} 中是另一次参数扫描 ({key} 原为 {old}, 现为 {new}); 续算须使用与原扫描相同的情景文件和选项; "
        "请按原设置运行, 或另指定 --out",
    ),
    "sweep_needs_package": Bi(
        "{what} needs the Python package {library!r}, which is not installed here; expected the sweep extra; "
        "install it: `pip install 'landopt[sweep]'`",
        "{what}需要 Python 包 {library!r}, 本机未安装; 须安装参数扫描扩展; "
        "请运行: `pip install 'landopt[sweep]'`",
    ),
    "template_needs_extra": Bi(
        "writing the workbook {path} needs the Python package {library}, which is not installed; expected landopt "
        "with its `tables` extra; run `pip install 'landopt[tables]'`",
        "写出工作簿 {path} 需要 Python 包 {library}, 但未安装; 应安装 landopt 的 `tables` 扩展; "
        "请运行 `pip install 'landopt[tables]'`",
    ),
    "sweep_scheduler": Bi(
        "--scheduler {path}: cannot connect ({error}); expected the address of a running dask scheduler, e.g. "
        "tcp://10.0.0.5:8786; start one (`dask scheduler`) or fix the address",
        "--scheduler {path}: 无法连接 ({error}); 应为正在运行的 dask 调度器地址, 如 tcp://10.0.0.5:8786; "
        "请先启动调度器 (`dask scheduler`) 或修正地址",
    ),
    # ---- solving
    "unknown_solver": Bi(
        "unknown solver {got!r}; expected auto or one of: {known} (usable here: {here}){suggest}",
        "未知的求解器 {got!r}; 应为 auto 或以下之一: {known} (本机可用: {here}){suggest}",
    ),
    "bad_time_limit": Bi(
        "time limit {value} is not a positive number of seconds; expected a number > 0 such as 60; "
        "fix it, or leave it out for no limit",
        "时间上限 {value} 不是正的秒数; 应为大于 0 的数, 如 60; 请修正, 不设上限请省略",
    ),
    "solver_unavailable": Bi(
        "solver {solver!r} is not usable here (its Python package {library!r} is missing or fails to load); "
        "expected an installed solver; {alternatives}",
        "求解器 {solver!r} 在本机不可用 (其 Python 包 {library!r} 未安装或无法加载); 应为已安装的求解器; {alternatives}",
    ),
    # ---- expect
    "expect_bad_status": Bi(
        "expect.status {got!r} is not a status; expected optimal, infeasible or unbounded; fix the value",
        "expect.status {got!r} 无效; 应为 optimal, infeasible 或 unbounded; 请修改",
    ),
    # ---- warnings
    "rule_selects_nothing": Bi(
        "rule {rule!r} selects no (area, sector) pair that may receive land{stock}: it constrains nothing; "
        "expected a selection that names land the plan can give; check its where:{also} (ids, roles, tags, the areas' "
        "sectors: lists)",
        "规则 {rule!r} 没有选中任何可分配用地的 (片区, 行业) 组合{stock}: 它不约束任何东西; 应选中方案可分配的用地; "
        "请检查其 where:{also} (标识、角色、标签、片区的 sectors: 列表)",
    ),
    "share_part_empty": Bi(
        "share rule {rule!r} asks for at least {min:g} of its total from a part that selects no pair that may receive "
        "land, so no land at all may go to the rule's selection; expected a part: that names land the plan can give; "
        "check part: (or write max: if a ceiling was meant)",
        "占比规则 {rule!r} 要求至少 {min:g} 来自 part, 但 part 没有选中任何可分配用地的组合, 因而该规则所选范围内不能分配任何用地; "
        "part: 应选中方案可分配的用地; 请检查 part: (如本意是上限, 请写 max:)",
    ),
    "metric_zero_in_rule": Bi(
        "rule {rule!r} limits {metric!r}, which is 0 for every pair it selects{stock}: it constrains nothing; "
        "expected a metric that the selected sectors have (per_mu); check the metric or add it to per_mu",
        "规则 {rule!r} 约束 {metric!r}, 但它在所选的每个组合中都为 0{stock}: 它不约束任何东西; 应为所选行业具有的指标 "
        "(per_mu); 请检查指标或在 per_mu 中补充",
    ),
    "near_miss_id": Bi(
        "{what} {got!r} is used by nothing, and is named almost like one that is used; expected the id of an "
        "existing {what} (a misspelt id adds a new one and leaves the one it meant as it was){suggest}",
        "{what} {got!r} 没有被任何地方使用, 且与一个已使用的名称几乎相同; 应为已有{what}的标识 "
        "(拼错的标识会新增一项, 而本意的那一项保持不变){suggest}",
    ),
    "resource_unused": Bi(
        "resource {rid!r} is used by nothing (no per_mu or existing table gives it), so its budget limits "
        "nothing; expected the coefficients of the sectors that use it; add them to per_mu, or remove the "
        "resource",
        "资源 {rid!r} 没有被任何地方使用 (per_mu 和 existing 中都没有它), 其预算不约束任何东西; 应给出使用它的行业的系数; "
        "请在 per_mu 中补充, 或删除该资源",
    ),
    "area_no_sectors": Bi(
        "area {area!r} ({role}) allows no sector (sectors: []), so it receives no new land; expected the sectors "
        "it may receive; list them, or remove sectors: to allow every sector",
        "片区 {area!r} ({role}) 不允许任何行业 (sectors: []), 因而得不到新增用地; 应列出可入驻的行业; "
        "请列出行业, 或删除 sectors: 以允许全部行业",
    ),
    "empty_value": Bi(
        "{key!r} has no value, so it is left unset, as if the line were not there{meaning}; expected a value; "
        "write one, or delete the line",
        "{key!r} 没有值, 等同于未设置 (如同没有这一行){meaning}; 应填写数值; 请填写, 或删除这一行",
    ),
    "bad_ramp": Bi(
        "ramp {got} is not a list of shares of full production; expected a non-empty list of numbers >= 0 by year "
        "after the land is given, such as [0.3, 0.7, 1.0]; fix the list",
        "ramp {got} 不是达产比例列表; 应为非空的、不小于 0 的数列 (按用地后的年份), 如 [0.3, 0.7, 1.0]; 请修改列表",
    ),
    "renewal_above_stock": Bi(
        "renewal of {value:g} mu of {sector!r} in {area!r} is more than its stock ({stock} mu in "
        "existing.by_sector.{sector}.land); expected at most the stock; lower it, or give the stock by sector",
        "{area!r} 中 {sector!r} 的改造面积 {value:g} 亩超过其存量 (existing.by_sector.{sector}.land 为 {stock} 亩); "
        "应不超过存量; 请调低, 或给出分行业存量",
    ),
    "project_land": Bi(
        "a project's land of {value:g} is not a positive area; expected its land, e.g. 120; fix the value",
        "项目用地 {value:g} 不是正的面积; 应为项目用地, 如 120; 请修改",
    ),
    "project_year_late": Bi(
        "year {got} is after the scenario's last year {last}, so the project could never start; expected its "
        "earliest start, at most {last}; fix the year, or extend scenario.years",
        "年份 {got} 晚于情景最后一年 {last}, 项目无法开工; 应为最早开工年份, 不晚于 {last}; 请修正年份, 或延长 scenario.years",
    ),
    "project_year_single": Bi(
        "year {got} for a project in a scenario without years; expected no year (or scenario.years); "
        "remove the project's year, or give the scenario its years",
        "单年情景中的项目写了年份 {got}; 应不写年份 (或设置 scenario.years); 请删除项目的年份, 或为情景设置年份",
    ),
    "project_no_site": Bi(
        "project {project!r} must be placed but no area its sites select allows sector {sector!r}; expected at "
        "least one eligible area; widen its sites, or allow the sector in an area",
        "项目 {project!r} 必须落地, 但其可选范围内没有允许行业 {sector!r} 的片区; 至少需要一个可选片区; "
        "请放宽选址范围, 或在某片区允许该行业",
    ),
    "bad_what": Bi(
        "{got!r} is not something a count counts; expected projects, sectors or exits{suggest}",
        "{got!r} 不是计数的对象; 应为 projects, sectors 或 exits{suggest}",
    ),
    "count_each": Bi(
        "a count cannot take each: {got}; expected each: area, sector or area_tag (a count holds over the whole "
        "plan); remove it",
        "计数规则不能用 each: {got}; 只能用 each: area, sector 或 area_tag (计数针对整个方案); 请删除",
    ),
    "count_key_not_for_what": Bi(
        "`{key}` does not apply to a count of {what}; expected the keys such a count takes (exits: area keys only; "
        "sectors: no project; at_least: sectors only); remove it",
        "`{key}` 不适用于对 {what} 的计数; 只能用该类计数可用的键 (exits: 仅片区键; sectors: 不用 project; at_least: 仅 "
        "sectors); 请删除",
    ),
    "count_bound": Bi(
        "count bound {got} is not a whole number of items; expected a number of items such as 3 (no years: a "
        "count holds over the whole plan); fix the bound, or use min_share/max_share for a fraction",
        "计数界限 {got} 不是整数项数; 应为项数, 如 3 (不分年份: 计数针对整个方案); 请修改, 或用 min_share/max_share 表示比例",
    ),
    "count_at_least_small": Bi(
        "at_least {value} is too small: a pair counts when its new land reaches at_least, and below {least} 亩 "
        "that cannot be told from none; expected at least {least} 亩 (e.g. '1 亩', the default); raise it, or "
        "leave at_least out",
        "at_least {value} 过小: 组合的新增用地达到 at_least 才计入, 低于 {least} 亩 无法与零区分; 应不小于 {least} 亩 "
        "(如 '1 亩', 即默认值); 请调大或删去 at_least",
    ),
    "count_no_bound": Bi(
        "a count of sectors needs a finite bound on the new land of ({area}, {sector}), which has none; expected "
        "the area's capacity or max_land, the sector's max_land, or a land budget; add one of them",
        "对行业的计数需要 ({area}, {sector}) 新增用地的有限上界, 目前没有; 应为片区的 capacity 或 max_land, 行业的 "
        "max_land, 或用地预算; 请补充其中之一",
    ),
    "exit_unbounded": Bi(
        "area '{area}' may exit but nothing bounds its new land; expected the area's capacity or max_land, a "
        "land budget, or a max_land on every sector it allows (an exit is linked to the area's land by that "
        "bound); add one of them",
        "片区 '{area}' 可退出, 但其新增用地没有有限上界; 应为片区的 capacity 或 max_land、用地预算, 或其所有允许行业"
        "的 max_land (退出决策通过该上界与用地关联); 请补充其中之一",
    ),
    "stock_metric_missing": Bi(
        "rule {rule!r} counts existing stock, but area {area!r} has existing {have} and no existing {missing}; "
        "its stock {missing} counts as 0; add existing.{missing} if that is not intended",
        "规则 {rule!r} 计入存量, 但片区 {area!r} 有存量 {have} 却没有存量 {missing}; 其存量 {missing} 按 0 计; "
        "如非本意请补上 existing.{missing}",
    ),
    "canonical_skipped": Bi(
        "the canonical choice among equally good allocations was skipped (the time limit ran out, or its "
        "solve did not finish); expected the same allocation on every run and solver; the allocation shown is "
        "optimal, but another equally good one may be shown next time: allow more time (--time-limit)",
        "未能在同样最优的配置中选定规范解 (时间用尽或该步求解未完成); 本应每次运行、每个求解器给出同一配置; 当前配置仍为最优, "
        "但下次可能给出另一个同样最优的配置: 请放宽时间限制",
    ),
    "canonical_sites": Bi(
        "the canonical choice among equally good sets of projects did not finish in its time; the projects and "
        "years shown are the solver's, their areas are the canonical ones for that choice; expected the same "
        "plan on every run and solver; another equally good set of projects may be shown next time: allow "
        "more time (--time-limit)",
        "未能在限定时间内于同样最优的项目组合中选定规范解; 所示项目及其年份为求解器所选, 其落地片区已按该组合选定规范解; "
        "本应每次运行、每个求解器给出同一方案; 下次可能给出另一个同样最优的项目组合: 请放宽时间限制",
    ),
    "fixed_lp_skipped": Bi(
        "the MILP stopped at the time limit and no time was left for the LP with its yes/no decisions fixed; "
        "expected the plan's prices and canonical land; the plan shown is the MILP's best one, without shadow "
        "prices: allow more time (--time-limit) for them",
        "是否类决策在时间限制内未证明最优, 且已无时间求解固定决策后的线性规划; 本应给出影子价格和规范配置; 当前为整数规划"
        "找到的最好方案, 不含影子价格: 请放宽时间限制",
    ),
    "no_duals": Bi(
        "solver {solver!r} returns no LP duals; expected shadow prices; they are not reported: use clp, highs, "
        "glop or cbc for them",
        "求解器 {solver!r} 不返回对偶值; 影子价格不可得; 如需影子价格请用 clp, highs, glop 或 cbc",
    ),
    "scaling_range": Bi(
        "after scaling, matrix coefficients still span {ratio:.1e} (threshold {limit:.0e}); the largest and "
        "smallest come from {keys}; check their units (亿元 vs 万元, kg vs t)",
        "缩放后系数跨度仍达 {ratio:.1e} (阈值 {limit:.0e}); 最大和最小系数来自 {keys}; 请检查这些键的单位 (亿元/万元, kg/t)",
    ),
}

WHAT: dict[str, Bi] = {
    # The kinds of ids a message may name (the `what` parameter of unknown_id and near_miss_id): an
    # Issue keeps the kind as a word (`params["what"] == "area"`), the message shows it in its language.
    "area": Bi("area", "片区"), "sector": Bi("sector", "行业"), "resource": Bi("resource", "资源"),
    "area tag": Bi("area tag", "片区标签"), "sector tag": Bi("sector tag", "行业标签"), "metric": Bi("metric", "指标"),
    "role": Bi("role", "角色"), "rule": Bi("rule", "规则"), "rule or resource": Bi("rule or resource", "规则或资源"),
    "area or sector with min_land": Bi("area or sector with min_land", "设有 min_land 的片区或行业"),
}

DID_YOU_MEAN = Bi("; did you mean {0!r}?", "; 是否想写 {0!r}?")
"""How a suggestion (`Issue.suggest`, a word) is shown in the `{suggest}` slot of a message."""

NO_SUGGESTION: dict[str, Bi] = {
    # The fix part of a message whose template ends in {suggest}, when there is no suggestion.
    "unknown_key": Bi("; remove it, or rename it to one of these keys", "; 请删除, 或改为上述键之一"),
    "unknown_rule_kind": Bi(
        "; write one of them: cap for an upper limit (M <= max), floor for a lower limit (M >= min), share for a "
        "fraction of a total, intensity for a per-mu target, count for a number of yes/no decisions",
        "; 请改为其中之一: cap 为上限 (M <= max), floor 为下限 (M >= min), share 为占比, intensity 为亩均等强度指标, "
        "count 为是/否决策的个数"),
    "bad_role": Bi(
        "; write one of them: main (the main platform), sub (a sub-area), linked (a linked area), "
        "outside (the rest of the county)",
        "; 请改为其中之一: main (主平台), sub (分区), linked (关联拓展区), outside (县域其他地区)"),
    "near_miss_id": Bi("; fix the spelling", "; 请修正拼写"),
    "bad_what": Bi("; write projects (placed projects), sectors (pairs given land) or exits (areas that exit)",
                   "; 请改为 projects (落地的项目)、sectors (获得用地的组合) 或 exits (退出的片区)"),
    "unknown_id": Bi("; fix the spelling, or declare it first", "; 请修正拼写, 或先声明它"),
    "unknown_metric": Bi("; fix the spelling, or declare it under metrics:", "; 请修正拼写, 或在 metrics: 下声明"),
    "unknown_metric_key": Bi("; fix the spelling, or declare it under metrics:", "; 请修正拼写, 或在 metrics: 下声明"),
    "variant_unknown": Bi("; name a variant defined under variants:", "; 请写 variants: 下已定义的变体"),
    "set_path_missing": Bi("; fix the path", "; 请修正路径"),
    "table_header_unknown": Bi("; rename the header", "; 请修改列标题"),
    "vary_path_missing": Bi("; fix the path", "; 请修正路径"),
    "unknown_solver": Bi("; run `landopt solvers` to list them", "; 运行 `landopt solvers` 查看列表"),
}

NO_HINT: dict[str, Bi] = {
    # The end of a message whose template ends in {hint}, when its producer gives none.
    "rule_bound_wrong": Bi("; rename the key", "; 请改名该键"),
}


def render(code: str, params: dict[str, Any], lang: str = "en", suggest: str | None = None) -> str:
    """Render message `code` in `lang` ('en' or 'zh').

    A parameter is a `Bi` (landopt's own words, shown in `lang`) or a value from the file (an id, a
    key, a number: shown as it is). `suggest` is the suggested word, if any (`Issue.suggest`); a
    ``suggest`` entry of `params` is taken as that word too. The `what` parameter names a kind of id
    (`WHAT`).
    """
    template = CATALOGUE[code].pick(lang)
    p: dict[str, Any] = {}
    for k, v in params.items():
        if k == "suggest":
            suggest = suggest or v or None
            continue
        if k == "what" and isinstance(v, str) and v in WHAT:
            v = WHAT[v]
        if isinstance(v, Bi):
            v = v.pick(lang)
        p[k] = printable(v) if isinstance(v, str) and "{" + k + "!r}" not in template else v  # repr escapes itself
    if suggest:
        p["suggest"] = DID_YOU_MEAN.pick(lang).format(suggest)
    else:
        p["suggest"] = NO_SUGGESTION[code].pick(lang) if code in NO_SUGGESTION else ""
    if not p.get("hint"):
        p["hint"] = NO_HINT[code].pick(lang) if code in NO_HINT else ""
    p.setdefault("example", "")
    try:
        return template.format(**p)
    except (KeyError, IndexError, ValueError):  # a missing parameter must never hide the problem
        return f"{code}: {params}"


def closest(word: str, choices: Iterable[str], synonyms: Mapping[str, str] | None = None) -> str | None:
    """The choice `word` was most likely meant to be (a close spelling, the same word in another case,
    or the choice `synonyms` gives for it), or None."""
    names = [str(c) for c in choices]
    best = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    if best:
        return best[0]
    if isinstance(word, str):
        low = {c.lower(): c for c in names}
        if word.lower() in low:
            return low[word.lower()]
        if synonyms and synonyms.get(word.strip().lower()) in low:
            return low[synonyms[word.strip().lower()]]
    return None
