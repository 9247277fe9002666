"""The catalogue of user-facing input messages, in English and Chinese.

Every `Issue` code maps to one template per language. A template says what is
wrong, what was expected, and how to fix it, in that order, separated by
semicolons. `tests/test_messages.py` renders every code in both languages and
checks that each is produced by at least one real input.
"""

from __future__ import annotations

from typing import Any

CATALOGUE: dict[str, tuple[str, str]] = {
    # ---- files and encodings
    "file_missing": (
        "file not found: {path}; expected a scenario file (.yaml); check the path",
        "找不到文件: {path}; 应为情景文件 (.yaml); 请检查路径",
    ),
    "file_not_regular": (
        "{path} is not a regular file (a device, pipe or socket); expected a scenario file; "
        "name a .yaml file",
        "{path} 不是普通文件 (设备、管道或套接字); 应为情景文件; 请指定 .yaml 文件",
    ),
    "file_is_directory": (
        "{path} is a directory; expected a scenario file; name a .yaml file inside it "
        "(or use `landopt check DIR` to run every scenario in a folder)",
        "{path} 是文件夹; 应为情景文件; 请指定其中的 .yaml 文件 (整个文件夹请用 `landopt check 目录`)",
    ),
    "file_too_large": (
        "file is {size:,} bytes, larger than the limit of {limit:,} bytes; expected a scenario file; "
        "split it with `extends:` or check that this is the right file",
        "文件大小 {size:,} 字节, 超过上限 {limit:,} 字节; 应为情景文件; 请用 `extends:` 拆分或确认文件无误",
    ),
    "encoding_utf16": (
        "file is UTF-16 encoded; expected UTF-8; save it again as UTF-8 (in Notepad: Save As, Encoding: UTF-8)",
        "文件为 UTF-16 编码; 应为 UTF-8; 请另存为 UTF-8 (记事本: 另存为, 编码选 UTF-8)",
    ),
    "encoding_gbk": (
        "file is not UTF-8: it looks GBK/GB18030-encoded (the default of Chinese Windows editors); "
        "expected UTF-8; save it again as UTF-8 (Notepad: Save As, Encoding: UTF-8) or run "
        "`iconv -f GBK -t UTF-8 in.yaml > out.yaml`",
        "文件不是 UTF-8 编码: 看起来是 GBK/GB18030 (中文 Windows 编辑器的默认编码); 应为 UTF-8; "
        "请另存为 UTF-8 (记事本: 另存为, 编码选 UTF-8) 或运行 `iconv -f GBK -t UTF-8 in.yaml > out.yaml`",
    ),
    "encoding_not_utf8": (
        "file is not valid UTF-8 (byte {byte}); expected UTF-8 text; save it again as UTF-8",
        "文件不是有效的 UTF-8 (字节 {byte}); 应为 UTF-8 文本; 请另存为 UTF-8",
    ),
    "encoding_binary": (
        "file contains NUL bytes; expected a YAML text file; this looks like a binary file (Excel? zip?)",
        "文件含有 NUL 字节; 应为 YAML 文本文件; 这像是二进制文件 (Excel? 压缩包?)",
    ),
    "file_empty": (
        "file is empty; expected a mapping with at least `version`, `resources`, `sectors`, `areas`; "
        "start from scenarios/format_example.yaml",
        "文件为空; 应至少包含 `version`, `resources`, `sectors`, `areas`; 可参照 scenarios/format_example.yaml",
    ),
    "top_not_mapping": (
        "the top level is {got}; expected a mapping of keys (version:, resources:, ...); "
        "remove the leading '-' or wrap the content under keys",
        "顶层是 {got}; 应为键值映射 (version:, resources:, ...); 请去掉开头的 '-' 或把内容放到键下",
    ),
    # ---- YAML
    "yaml_syntax": (
        "YAML syntax error: {problem}; expected valid YAML; {hint}",
        "YAML 语法错误: {problem}; 应为有效的 YAML; {hint}",
    ),
    "yaml_tab": (
        "tab character used for indentation; expected spaces (YAML forbids tabs); replace the tab with spaces",
        "用了制表符 (Tab) 缩进; 应使用空格 (YAML 不允许 Tab); 请把 Tab 换成空格",
    ),
    "yaml_duplicate_key": (
        "duplicate key {key!r} (first at line {first}); expected each key once; delete or merge one of them",
        "重复的键 {key!r} (首次出现在第 {first} 行); 每个键只能出现一次; 请删除或合并其中一个",
    ),
    "yaml_alias_bomb": (
        "document expands to {nodes:,} nodes through aliases (limit {limit:,}); expected a plain scenario; "
        "this looks like an alias bomb, so the file is refused",
        "经别名展开后文档有 {nodes:,} 个节点 (上限 {limit:,}); 应为普通情景文件; 疑似别名炸弹, 拒绝读取",
    ),
    "yaml_too_deep": (
        "nesting deeper than {limit} levels; expected a shallow scenario file; check for runaway brackets",
        "嵌套超过 {limit} 层; 情景文件不应如此深; 请检查括号是否失控",
    ),
    "yaml_tag_refused": (
        "YAML tag {tag} refused; expected plain values (only !!str, !!int, !!float, !!bool, !!null are allowed); "
        "remove the tag: landopt never constructs objects from a file",
        "拒绝 YAML 标签 {tag}; 只允许普通值 (!!str, !!int, !!float, !!bool, !!null); 请删除该标签: landopt 不会从文件构造对象",
    ),
    "yaml_bad_tagged_value": (
        "{raw!r} is not a valid {tag}; expected a value of that type; fix the value or drop the tag",
        "{raw!r} 不是有效的 {tag}; 应为该类型的值; 请修改值或删除标签",
    ),
    "yaml_complex_key": (
        "a mapping or list used as a key; expected a plain key; write the key as text",
        "用映射或列表作了键; 键应为普通文本; 请改写该键",
    ),
    "yaml_bad_merge": (
        "`<<` merges a value that is not a mapping; expected an alias of a mapping (<<: *defaults); fix the alias",
        "`<<` 合并的不是映射; 应为映射的别名 (<<: *defaults); 请修正别名",
    ),
    "yaml_multiple_documents": (
        "file holds more than one YAML document ('---'); expected one scenario per file; split the file",
        "文件含多个 YAML 文档 ('---'); 每个文件只能有一个情景; 请拆分文件",
    ),
    # ---- numbers and units
    "number_nan": (
        "{raw} is not a number (NaN); expected a finite number; write the value, or delete the key",
        "{raw} 不是数 (NaN); 应为有限数值; 请填写数值或删除该键",
    ),
    "number_inf": (
        "{raw} is infinite; expected a finite number; leave the key out for 'no limit'",
        "{raw} 是无穷大; 应为有限数值; 不设上限请直接省略该键",
    ),
    "number_overflow": (
        "{raw} is too large (overflows a 64-bit float or exceeds 1e18); expected a finite number; "
        "check the exponent or the unit",
        "{raw} 数值过大 (超出 64 位浮点或大于 1e18); 应为有限数值; 请检查指数或单位",
    ),
    "negative": (
        "{value:g} is negative; expected a number >= 0; fix the sign",
        "{value:g} 是负数; 应为 >= 0 的数; 请修正符号",
    ),
    "unknown_unit": (
        "unknown unit {unit!r} in {raw!r}; expected one of {known}; write the quantity with a known unit, "
        "e.g. '500 万元' or '17.24 km2'",
        "未知单位 {unit!r} ({raw!r}); 应为以下之一: {known}; 请改用已知单位, 如 '500 万元' 或 '17.24 km2'",
    ),
    "bad_quantity": (
        "{raw!r} is not a number or a quantity; expected a number or 'number unit' such as '1200 亩'; "
        "fix the value",
        "{raw!r} 不是数值或带单位的量; 应为数值或 '数值 单位', 如 '1200 亩'; 请修改",
    ),
    "wrong_dimension": (
        "{raw!r} is {got}; expected {expected}{example}; use a unit of the right kind",
        "{raw!r} 的量纲是 {got}; 应为 {expected}{example}; 请改用正确量纲的单位",
    ),
    "no_unit_known": (
        "{raw!r} carries a unit but metric {metric!r} declares none; expected a plain number; "
        "declare `unit:` for {metric!r} under metrics: or write a plain number",
        "{raw!r} 带单位, 但指标 {metric!r} 未声明单位; 应为纯数值; 请在 metrics: 下为 {metric!r} 声明 unit, 或写纯数值",
    ),
    "share_range": (
        "share bound {value:g} is outside [0, 1]; expected a fraction such as 0.7 or '70%'; "
        "write 0.7 (not 70) for 70%",
        "比例界限 {value:g} 不在 [0, 1] 内; 应为小数如 0.7 或 '70%'; 70% 请写 0.7 (不是 70)",
    ),
    # ---- schema
    "unknown_key": (
        "unknown key {key!r}; expected one of: {allowed}{suggest}",
        "未知的键 {key!r}; 可用的键: {allowed}{suggest}",
    ),
    "unknown_key_empty": (
        "unknown key {key!r} with no value; expected one of: {allowed}{suggest}; if it belongs to the value "
        "before it, a comma inside {{ }} split that value: put the value in quotes",
        "未知的键 {key!r} (没有值); 可用的键: {allowed}{suggest}; 如果它本是前一个值的一部分, 是 {{ }} 中的逗号把值截断了: "
        "请给该值加引号",
    ),
    "missing_key": (
        "required key {key!r} is missing; expected {expected}; add it",
        "缺少必填键 {key!r}; 应为 {expected}; 请补上",
    ),
    "wrong_type": (
        "{got} is not valid here; expected {expected}; fix the value",
        "{got} 在此无效; 应为 {expected}; 请修改",
    ),
    "bad_version": (
        "version {got!r} is not supported; expected version: 1; set `version: 1`",
        "不支持的版本 {got!r}; 应为 version: 1; 请写 `version: 1`",
    ),
    "unknown_rule_kind": (
        "unknown rule kind {got!r}; expected one of: cap, floor, share, intensity{suggest}",
        "未知的规则类型 {got!r}; 应为 cap, floor, share, intensity 之一{suggest}",
    ),
    "bad_each": (
        "each: {got!r} is not allowed; expected area, sector or year (or a list of them); fix the value",
        "each: {got!r} 不允许; 应为 area, sector 或 year (或它们的列表); 请修改",
    ),
    "bad_role": (
        "role {got!r} is not a role; expected one of: main, sub, linked, outside{suggest}",
        "角色 {got!r} 无效; 应为 main, sub, linked, outside 之一{suggest}",
    ),
    "bad_accounting": (
        "accounting {got!r} is not allowed; expected flow or level; fix the value",
        "accounting {got!r} 不允许; 应为 flow 或 level; 请修改",
    ),
    # ---- references
    "unknown_id": (
        "unknown {what} {got!r}; expected one of: {known}{suggest}",
        "未知的{what_zh} {got!r}; 应为以下之一: {known}{suggest}",
    ),
    "unknown_metric": (
        "metric {got!r} is not defined; expected a resource, a metrics: entry, a per_mu or existing key "
        "(known: {known}){suggest}",
        "指标 {got!r} 未定义; 应为资源, metrics: 条目, per_mu 或 existing 中的键 (已知: {known}){suggest}",
    ),
    "duplicate_rule_id": (
        "rule id {got!r} is used twice (also rule #{other}); expected unique ids; rename one",
        "规则 id {got!r} 重复 (另见第 {other} 条规则); id 必须唯一; 请改名其一",
    ),
    "rule_bound_missing": (
        "rule {rule!r} ({kind}) has no bound; expected {expected}; add it",
        "规则 {rule!r} ({kind}) 没有界限; 应有 {expected}; 请补上",
    ),
    "rule_bound_wrong": (
        "a {kind} rule takes {allowed}, not {got!r}; expected {allowed}{hint}",
        "{kind} 规则只接受 {allowed}, 不接受 {got!r}; 应为 {allowed}{hint}",
    ),
    "rule_key_not_for_kind": (
        "key {got!r} does not apply to a {kind} rule; expected only keys of a {kind} rule; remove it{hint}",
        "键 {got!r} 不适用于 {kind} 规则; 只能用 {kind} 规则的键; 请删除{hint}",
    ),
    "min_above_max": (
        "min {lo:g} is above max {hi:g}; expected min <= max; swap or fix them",
        "min {lo:g} 大于 max {hi:g}; 应有 min <= max; 请调换或修正",
    ),
    "year_selector_place": (
        "`year` may only appear in `where`; expected it in the rule's where:; move it",
        "`year` 只能出现在 where 中; 请移到规则的 where: 下",
    ),
    "year_unknown": (
        "year {got!r} is not a scenario year; expected one of {known}; fix the year or scenario.years",
        "年份 {got!r} 不在情景年份中; 应为 {known} 之一; 请修正年份或 scenario.years",
    ),
    "years_missing": (
        "no value for year(s) {missing}; expected a number for every scenario year {known}, or one number "
        "for all years; add the missing years",
        "缺少年份 {missing} 的值; 每个情景年份 {known} 都需要数值, 或用一个数值代表所有年份; 请补上",
    ),
    "year_map_single": (
        "a year mapping needs scenario.years; expected a plain number; set scenario.years or write one number",
        "按年映射需要 scenario.years; 应为单个数值; 请设置 scenario.years 或只写一个数",
    ),
    "bad_years": (
        "years {got!r} are not valid; expected a list of increasing years or 'first..last' such as 2021..2025; "
        "fix the value",
        "年份 {got!r} 无效; 应为递增年份列表或 'first..last' (如 2021..2025); 请修改",
    ),
    "growth_with_map": (
        "growth given with a year mapping; expected either growth with one bound or a mapping without growth; "
        "drop one of them",
        "同时给了 growth 和按年映射; 二者只能取其一; 请删除其一",
    ),
    "land_in_per_mu": (
        "`land` in a per_mu table; expected other metrics only (land is the allocation itself, 1 亩 per 亩); "
        "remove it",
        "per_mu 表中出现 `land`; 用地就是分配量本身 (每亩 1 亩); 请删除",
    ),
    "sector_not_allowed": (
        "sector {sector!r} is not allowed in area {area!r} (not in its sectors: list); expected one of {known}; "
        "add it to the area's sectors or remove this entry",
        "行业 {sector!r} 不在片区 {area!r} 的允许行业 (sectors:) 中; 应为 {known} 之一; 请加入 sectors 或删除此项",
    ),
    "objective_empty": (
        "objective has no metric; expected maximize: or minimize: with a metric name or a mapping of weights; "
        "add one",
        "目标函数没有指标; 应写 maximize: 或 minimize: 加指标名或权重映射; 请补上",
    ),
    "objective_both": (
        "an objective stage has both maximize and minimize; expected one of them; split it into two stages",
        "同一目标阶段同时有 maximize 和 minimize; 只能有其一; 请拆成两个阶段",
    ),
    "resource_no_budget": (
        "resource {rid!r} has no budget; expected budget: a number or a mapping year → number; add it",
        "资源 {rid!r} 没有预算; 应有 budget: 数值或 年份 → 数值 映射; 请补上",
    ),
    "capacity_below_min": (
        "min_land {lo:g} exceeds capacity {hi:g}; expected min_land <= capacity; fix one of them",
        "min_land {lo:g} 超过 capacity {hi:g}; 应有 min_land <= capacity; 请修正其一",
    ),
    "no_allowed_pairs": (
        "no area may receive any sector (every sectors: list is empty or names nothing); expected at least one "
        "allowed (area, sector) pair; fix the sectors: lists",
        "没有任何片区可接收任何行业; 至少需要一个允许的 (片区, 行业) 组合; 请修正 sectors: 列表",
    ),
    # ---- extends, variants, --set
    "extends_missing": (
        "extends: {target!r} not found (looked for {path}); expected a path relative to this file; fix the path",
        "extends: 找不到 {target!r} (查找位置 {path}); 应为相对本文件的路径; 请修正路径",
    ),
    "extends_directory": (
        "extends: {target!r} is a directory; expected a .yaml file; name the file",
        "extends: {target!r} 是文件夹; 应为 .yaml 文件; 请指定文件",
    ),
    "extends_cycle": (
        "extends cycle: {cycle}; expected a chain without loops; remove one extends",
        "extends 形成循环: {cycle}; 继承链不能成环; 请删除其中一个 extends",
    ),
    "extends_type": (
        "extends must be a path or a list of paths; expected text such as 'base.yaml'; fix the value",
        "extends 应为路径或路径列表; 如 'base.yaml'; 请修改",
    ),
    "variant_unknown": (
        "variant {got!r} is not defined; expected one of: {known}{suggest}",
        "方案变体 {got!r} 未定义; 应为以下之一: {known}{suggest}",
    ),
    "variant_conflict": (
        "variants {a!r} and {b!r} both set {key}; expected each key set by one selected variant; "
        "select only one of them or move the key",
        "方案变体 {a!r} 与 {b!r} 都设置了 {key}; 同一键只能由一个变体设置; 请只选其一或调整",
    ),
    "variant_nested": (
        "a variant may not define variants: or extends:; expected plain overrides; move them to the scenario",
        "变体内不能再定义 variants: 或 extends:; 只能写覆盖项; 请移到情景本身",
    ),
    "set_syntax": (
        "--set {got!r} is not KEY=VALUE; expected e.g. --set resources.energy.budget=25000; fix the option",
        "--set {got!r} 不是 KEY=VALUE 形式; 如 --set resources.energy.budget=25000; 请修改",
    ),
    "set_path_missing": (
        "--set {path}: {missing!r} does not exist under {parent}; expected one of: {known}{suggest}",
        "--set {path}: {parent} 下不存在 {missing!r}; 应为以下之一: {known}{suggest}",
    ),
    "set_type": (
        "--set {path}={value!r} changes a {old} into a {new}; expected a {old}; fix the value",
        "--set {path}={value!r} 把 {old} 改成了 {new}; 应为 {old}; 请修改",
    ),
    # ---- expect
    "expect_bad_status": (
        "expect.status {got!r} is not a status; expected optimal, infeasible or unbounded; fix the value",
        "expect.status {got!r} 无效; 应为 optimal, infeasible 或 unbounded; 请修改",
    ),
    # ---- warnings
    "stock_metric_missing": (
        "rule {rule!r} counts existing stock, but area {area!r} has existing {have} and no existing {missing}; "
        "its stock {missing} counts as 0; add existing.{missing} if that is not intended",
        "规则 {rule!r} 计入存量, 但片区 {area!r} 有存量 {have} 却没有存量 {missing}; 其存量 {missing} 按 0 计; "
        "如非本意请补上 existing.{missing}",
    ),
    "no_duals": (
        "solver {solver!r} returns no LP duals; expected shadow prices; they are not reported: use clp, highs, "
        "glop or cbc for them",
        "求解器 {solver!r} 不返回对偶值; 影子价格不可得; 如需影子价格请用 clp, highs, glop 或 cbc",
    ),
    "scaling_range": (
        "after scaling, matrix coefficients still span {ratio:.1e} (threshold {limit:.0e}); the largest and "
        "smallest come from {keys}; check their units (亿元 vs 万元, kg vs t)",
        "缩放后系数跨度仍达 {ratio:.1e} (阈值 {limit:.0e}); 最大和最小系数来自 {keys}; 请检查这些键的单位 (亿元/万元, kg/t)",
    ),
}

_WHAT_ZH = {
    "area": "片区", "sector": "行业", "resource": "资源", "area tag": "片区标签",
    "sector tag": "行业标签", "metric": "指标", "role": "角色", "rule": "规则",
}


def render(code: str, params: dict[str, Any], lang: str = "en") -> str:
    """Render message `code` in `lang` ('en' or 'zh')."""
    en, zh = CATALOGUE[code]
    template = zh if lang == "zh" else en
    p = dict(params)
    if "what" in p:
        p.setdefault("what_zh", _WHAT_ZH.get(p["what"], p["what"]))
    for k in ("suggest", "hint", "example"):
        p.setdefault(k, "")
    if lang == "zh":
        s = p.get("suggest", "")
        if s.startswith("; did you mean "):
            p["suggest"] = "; 是否想写 " + s[len("; did you mean "):]
    try:
        return template.format(**p)
    except (KeyError, IndexError, ValueError):  # a missing parameter must never hide the problem
        return f"{code}: {params}"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """'; did you mean 'x'?' for the closest choice, or ''."""
    import difflib

    best = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    if not best and isinstance(word, str):
        low = {str(c).lower(): str(c) for c in choices}
        if word.lower() in low:
            best = [low[word.lower()]]
    return f"; did you mean {best[0]!r}?" if best else ""
