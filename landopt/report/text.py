"""Plain-text tables of a result (the `--format table` output)."""

from __future__ import annotations


def simple_table(head: list[str], rows: list[list], floatfmt: str = ",.2f") -> str:
    """A table with CJK-aware column widths (tabulate + wcwidth)."""
    import wcwidth  # noqa: F401  (tabulate aligns wide characters only when wcwidth is importable)
    from tabulate import tabulate

    return tabulate(rows, headers=head, tablefmt="simple", floatfmt=floatfmt, disable_numparse=False)


def _num(v, digits: int = 2):
    return "" if v is None else round(v, digits)


def render_text(res, lang: str = "en") -> str:
    """Summary, allocation, budgets, rules and (if infeasible) the diagnosis."""
    zh = lang == "zh"
    spec = res.spec
    out = []
    title = spec.name
    out.append(title)
    out.append("=" * max(20, len(title) * 2))
    obj_unit = spec.unit_of(next(iter(spec.stages[0].weights))) if spec.stages else ""
    out.append(f"{'状态' if zh else 'status'}: {res.status}    {'求解器' if zh else 'solver'}: {res.solver}")
    if res.objective is not None:
        out.append(f"{'目标值' if zh else 'objective'} ({spec.stages[0].name}): {res.objective:,.4f} {obj_unit}")
    if res.message:
        out.append(res.message)
    if res.diagnosis:
        out.append("")
        out.append("不可行诊断 (需放宽的约束)" if zh else "Diagnosis: what must move to make the plan feasible")
        rows = [[d.target, d.id, ",".join(d.group.values()), d.year or "", d.bound, d.value, d.relaxed, d.unit]
                for d in res.diagnosis]
        head = ["对象", "编号", "分组", "年份", "界限", "原值", "放宽至", "单位"] if zh else \
            ["target", "id", "group", "year", "bound", "value", "relaxed", "unit"]
        out.append(simple_table(head, rows, floatfmt=",.4g"))
    alloc = res.allocation_records()
    if alloc:
        out.append("")
        out.append("新增用地配置 (亩)" if zh else f"Allocation of new land ({spec.units.names['area']})")
        head = ["片区", "行业", "年份", "用地"] if zh else ["area", "sector", "year", "land"]
        rows = [[spec.areas[r["area"]].name, spec.sectors[r["sector"]].name, r["year"] or "", r["land"]]
                for r in alloc]
        out.append(simple_table(head, rows))
    recs = res.resource_records()
    if recs:
        out.append("")
        out.append("要素预算" if zh else "Budgets")
        head = ["资源", "年份", "已用", "预算", "单位", "影子价格"] if zh else \
            ["resource", "year", "used", "budget", "unit", "shadow price"]
        rows = [[r["name"], r["year"] or "", r["used"], r["budget"], r["unit"], _num(r["shadow_price"], 4)]
                for r in recs]
        out.append(simple_table(head, rows))
    rules = res.rule_records()
    if rules:
        out.append("")
        out.append("政策约束" if zh else "Rules")
        head = ["规则", "分组", "年份", "实际", "界限", "单位", "紧约束", "影子价格", "违反"] if zh else \
            ["rule", "group", "year", "achieved", "bound", "unit", "binding", "shadow price", "violation"]
        rows = [[r["id"], ",".join(r["group"].values()), r["year"] or "", _num(r["lhs"], 4),
                 f"{r['sense']} {r['bound']:g}", r["unit"], "*" if r["binding"] else "", _num(r["shadow_price"], 4),
                 _num(r["violation"], 4) or ""] for r in rules]
        out.append(simple_table(head, rows))
    return "\n".join(out)
