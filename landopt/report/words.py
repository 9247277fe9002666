"""Words of the reports in English and Chinese, and unit labels.

`tr(key, lang, **params)` returns the text for `key` with `params` filled in
(`str.format`). Keys are stable; a test checks that both languages define the
same keys and placeholders.
"""

from __future__ import annotations

from landopt.i18n.text import pick

TEXTS: dict[str, tuple[str, str]] = {
    # --- report and section titles
    "report_title": ("{name}: allocation report", "{name} 要素配置报告"),
    "compare_title": ("Comparison of plans", "方案比选"),
    "sec_diagnosis": ("Diagnosis: what must move to make the plan feasible", "不可行诊断"),
    "sec_summary": ("Summary", "摘要"),
    "sec_allocation": ("Allocation by area", "分区域要素配置"),
    "sec_matrix": ("Area x sector land matrix", "分区分行业用地"),
    "sec_performance": ("Performance by area", "效益测算"),
    "sec_compliance": ("Rule compliance", "政策约束核查"),
    "sec_shadow": ("Shadow prices", "边际效益"),
    "sec_path": ("Year-by-year path", "分年度配置"),
    "sec_detail": ("Allocation detail", "配置明细"),
    "sec_projects": ("Project siting", "项目安排"),
    "sec_stock": ("The existing stock: exits and renewal", "存量盘活"),
    "stock_exits": ("Areas that exit: {n} ({areas}); their stock leaves every rule that counts stock, and "
                    "what `reclaim` returns is added to the budgets.",
                    "退出片区 {n} 个 ({areas})；其存量不再计入含存量的规则，按回收比例返还的指标已计入预算。"),
    "stock_renewal": ("Stock renewed (腾笼换鸟): {land} {unit} in all.", "存量更新改造 (腾笼换鸟) 合计 {land} {unit}。"),
    "tbl_exits": ("Areas that may exit: the decision, their stock and the quota returned", "园区退出及腾出要素"),
    "tbl_renewal": ("Stock renewal: from one sector to another", "存量用地更新改造"),
    "tbl_stock_path": ("Per-mu path by area and year: stock kept, renewed and new land",
                       "分年度亩均效益 (存量、更新与新增)"),
    "note_stock_path": ("Levels in each year: stock after exits and renewal, renewal and new land given so far "
                        "(figures at their ramp to full production). 'Stock' is the stock's own per-mu figure "
                        "after renewal; 'all' adds new land.",
                        "各年为累计水平：存量为扣除退出与更新后的存量，更新与新增为截至当年的累计 (按达产进度计)。"
                        "“存量亩均”为更新后存量自身的亩均值；“合计亩均”含新增用地。"),
    "chart_stock_path": ("{name} per mu by year ({unit})", "分年度亩均{name} ({unit})"),
    "col_exit": ("Decision", "决策"),
    "exit_yes": ("exits", "退出"),
    "exit_no": ("stays", "保留"),
    "exit_required": ("exits (required)", "退出 (必须)"),
    "col_stock_land": ("Stock land ({unit})", "现状用地 ({unit})"),
    "col_stock_of": ("Stock {name} ({unit})", "现状{name} ({unit})"),
    "col_reclaimed": ("{name} returned ({unit})", "返还{name} ({unit})"),
    "col_from": ("From sector", "原行业"),
    "col_to": ("To sector", "改造为"),
    "col_renewed": ("Renewed ({unit})", "更新用地 ({unit})"),
    "col_yield_before": ("{name} per mu before ({unit})", "改造前亩均{name} ({unit})"),
    "col_yield_after": ("{name} per mu after ({unit})", "改造后亩均{name} ({unit})"),
    "col_freed": ("{name} freed ({unit})", "腾出{name} ({unit})"),
    "col_used_new": ("{name} used ({unit})", "新增{name} ({unit})"),
    "col_stock_kept": ("Stock land kept ({unit})", "存量用地 ({unit})"),
    "col_renewed_so_far": ("Renewed so far ({unit})", "累计更新 ({unit})"),
    "col_new_so_far": ("New land so far ({unit})", "累计新增 ({unit})"),
    "col_pm_stock_part": ("Stock {name} per mu ({unit})", "存量亩均{name} ({unit})"),
    "col_pm_all": ("All {name} per mu ({unit})", "合计亩均{name} ({unit})"),
    "tag_group": ("areas tagged {tag}", "标签为 {tag} 的区域"),
    "tbl_projects": ("Candidate projects: placed or not, where and when", "招商项目安排"),
    "tbl_screened": ("Sites kept out by 标准地 screens", "未通过标准地准入的项目选址"),
    "col_project": ("Project", "项目"),
    "col_placed": ("Placed", "落地"),
    "col_start_year": ("From year", "起始年份"),
    "col_years": ("Years", "年份"),
    "col_why": ("Why not placed", "未落地原因"),
    "col_figure": ("Project's figure", "项目指标"),
    "per_word": (" per ", "/"),
    "col_project_per_mu": ("{metric} per {area_unit}", "{area_unit}均{metric}"),
    "why_screened": ("kept out of every site it may use by a 标准地 screen ({rules})",
                     "所有可选地块均未通过标准地准入 ({rules})"),
    "why_count": ("a count is at its limit ({rules})", "数量约束已达上限 ({rules})"),
    "why_not_worth": ("the quota it needs does more elsewhere", "所需指标用于他处效益更高"),
    "sec_variants": ("Plans compared", "方案概况"),
    "sec_cmp_resources": ("Resource totals", "要素总量"),
    "sec_cmp_areas": ("Allocation by area", "分区域新增用地"),
    "sec_cmp_matrix": ("Area x sector land", "分区分行业用地"),
    "sec_cmp_per_mu": ("Per-mu results", "亩均效益"),
    "sec_cmp_rules": ("Rules whose status or bound changed", "约束状态或界限变化"),
    "sec_cmp_shadow": ("Shadow prices that moved", "影子价格变化"),
    # --- header lines
    "hdr_region": ("Region: {region}", "地区：{region}"),
    "hdr_years": ("Years: {years}", "规划年份：{years}"),
    "hdr_source": ("Source: {source}", "资料来源：{source}"),
    "platform_total": ("Platform total (main, sub-areas, linked)", "平台合计 (主平台、分区、关联区)"),
    "note_stock_partial": ("Part of the existing stock is not given: {areas}; those cells are blank and the totals "
                           "of those columns leave them out.",
                           "部分现状数据未提供：{areas}；相应单元格留空，该列合计不含这些数值。"),
    "note_stock_not_given": ("Existing stock not given for: {areas}. Their before and after cells are blank and "
                             "the totals leave them out (give `existing`, or `existing: {{land: 0}}` for a new area).",
                             "未提供现状数据的区域：{areas}。其现状与配置后数值留空，合计不含这些区域 (请在情景中给出 existing；"
                             "新设区域无存量的，写 existing: {{land: 0}})。"),
    "hdr_prepared_by": ("Prepared by: {by}", "编制单位：{by}"),
    "hdr_prepared_on": ("Prepared on: {on}", "编制日期：{on}"),
    "hdr_data_year": ("Data year: {year}", "数据年份：{year}"),
    "hdr_plans": ("Deltas are against the first plan, {label}.", "增减均相对第一个方案 ({label})。"),
    # --- table titles
    "tbl_overview": ("Overview", "概况"),
    "tbl_resources": ("Resources used against available", "要素使用与可用量"),
    "tbl_allocation": ("New land and quota by area", "分区域要素配置表"),
    "tbl_matrix": ("New land by area and sector ({unit})", "分区分行业新增用地 ({unit})"),
    "tbl_perf_totals": ("Before and after: totals", "配置前后总量"),
    "tbl_per_mu": ("{metric} per {area_unit} ({unit})", "{area_unit}均{metric} ({unit})"),
    "tbl_structure": ("High-tech share and energy intensity", "高新技术占比与能耗强度"),
    "tbl_rules": ("Rules", "政策约束"),
    "tbl_limits": ("Budgets and built-in limits", "预算与内置限额"),
    "tbl_shadow": ("Value of one more unit of each limit", "各项限额的边际效益"),
    "tbl_path": ("Path of each area by year", "各区域分年度配置"),
    "tbl_budget_years": ("Budgets by year", "分年度预算使用"),
    "tbl_detail": ("Every nonzero allocation", "全部非零配置"),
    "tbl_diagnosis": ("Smallest relaxation that makes the plan feasible", "使方案可行的最小放宽"),
    "tbl_variants": ("Plans", "方案"),
    "tbl_cmp_resources": ("Resource use", "要素使用量"),
    "tbl_cmp_areas": ("New land by area ({unit})", "分区域新增用地 ({unit})"),
    "tbl_cmp_matrix": ("New land by area and sector ({unit})", "分区分行业新增用地 ({unit})"),
    "tbl_cmp_per_mu": ("Per-mu results after allocation", "配置后亩均效益"),
    "tbl_cmp_rules": ("Rule and limit status", "约束状态"),
    "tbl_cmp_shadow": ("Shadow prices ({unit} per unit of the limit)", "影子价格 (每单位限额，{unit})"),
    # --- column headers
    "col_no": ("No.", "序号"),
    "col_item": ("Item", "项目"),
    "col_value": ("Value", "数值"),
    "col_unit": ("Unit", "单位"),
    "col_area": ("Area", "区域"),
    "col_role": ("Role", "定位"),
    "col_sector": ("Sector", "行业"),
    "col_year": ("Year", "年份"),
    "col_resource": ("Resource", "要素"),
    "col_accounting": ("Budget limits", "预算所限"),
    "col_used": ("Used", "已配置"),
    "col_available": ("Available", "可用量"),
    "col_utilisation": ("Utilisation", "利用率"),
    "col_remaining": ("Remaining", "剩余"),
    "col_main_share": ("To main platform", "主平台占比"),
    "col_planned_area": ("Planned area ({unit})", "规划面积 ({unit})"),
    "col_land": ("New land ({unit})", "新增用地 ({unit})"),
    "col_land_share": ("Share", "占比"),
    "col_capacity": ("Capacity ({unit})", "可开发容量 ({unit})"),
    "col_capacity_use": ("Capacity used", "容量利用率"),
    "col_cost_one_off": ("One-off quota cost ({unit})", "一次性要素成本 ({unit})"),
    "col_cost_annual": ("Annual quota cost ({unit})", "年度要素成本 ({unit})"),
    "col_cost_unstated": ("Quota cost, basis not given ({unit})", "要素成本，未注明口径 ({unit})"),
    "per_year_unit": ("{unit}/yr", "{unit}·年"),
    "per_year_total": ("{unit}/yr", "{unit}/年"),
    "basis_one_off": ("paid once", "一次性支付"),
    "basis_annual": ("paid every year", "按年支付"),
    "basis_unstated": ("the file does not say whether once or every year (price_basis)",
                       "方案未注明一次性或按年支付"),
    "col_total": ("Total", "合计"),
    "col_before": ("{name} before ({unit})", "现状{name} ({unit})"),
    "col_after": ("{name} after ({unit})", "配置后{name} ({unit})"),
    "col_land_before": ("Land before ({unit})", "现状用地 ({unit})"),
    "col_land_after": ("Land after ({unit})", "配置后用地 ({unit})"),
    "col_pm_before": ("Before", "现状"),
    "col_pm_new": ("New land", "新增用地"),
    "col_pm_after": ("After", "配置后"),
    "col_target": ("Target", "目标"),
    "col_basis": ("Target counts", "目标口径"),
    "col_status": ("Status", "状态"),
    "col_ht_new": ("High-tech share of new {va} (%)", "新增{va}高新技术占比 (%)"),
    "col_ht_after": ("High-tech share after (%)", "配置后高新技术占比 (%)"),
    "col_energy_va": ("Energy per {va} of new land ({unit})", "新增单位{va}能耗 ({unit})"),
    "col_id": ("Id", "编号"),
    "col_name": ("Name", "名称"),
    "col_group": ("Applies to", "适用范围"),
    "col_source": ("Source", "依据"),
    "col_sense": ("Sense", "方向"),
    "col_required": ("Required", "要求值"),
    "col_achieved": ("Achieved", "实际值"),
    "col_slack": ("Slack", "余量"),
    "col_violation": ("Violation", "违反量"),
    "col_relaxed": ("Relaxed to", "放宽至"),
    "col_limit": ("Limit", "限额"),
    "col_bound": ("Bound", "界限值"),
    "col_step": ("Per", "每单位"),
    "col_shadow": ("Change in {obj} ({unit})", "{obj}变化 ({unit})"),
    "col_exact_loosen": ("Loosen one unit (exact)", "放宽一单位 (精确)"),
    "col_exact_tighten": ("Tighten one unit (exact)", "收紧一单位 (精确)"),
    "col_cum_land": ("Cumulative land ({unit})", "累计用地 ({unit})"),
    "col_level": ("{name} level ({unit})", "{name}累计 ({unit})"),
    "col_target_kind": ("Target", "对象"),
    "col_side": ("Side", "界限"),
    "col_change": ("Change", "变动"),
    "col_change_pct": ("Change %", "变动率"),
    "col_plan": ("Plan", "方案"),
    "col_solver": ("Solver", "求解器"),
    "col_objective": ("{obj} ({unit})", "{obj} ({unit})"),
    "col_delta": ("{label} - {base}", "{label} - {base}"),
    "col_delta_pct": ("{label} vs {base} %", "{label} 较 {base} %"),
    "col_metric": ("Indicator", "指标"),
    "col_objective_name": ("Objective", "目标"),
    "col_objective_value": ("Objective value (own unit)", "目标值 (各方案单位)"),
    "col_plan_bound": ("Bound ({label})", "界限值 ({label})"),
    # --- summary items
    "sum_scenario": ("Scenario", "情景"),
    "sum_years": ("Years", "规划年份"),
    "sum_status": ("Status", "求解状态"),
    "sum_solver": ("Solver", "求解器"),
    "sum_objective": ("Objective: {sense} {obj}", "目标：{sense}{obj}"),
    "sum_net_of_penalties": (" (net of soft-rule penalties)", " (扣除软约束罚项后)"),
    "sum_equally_good": ("Share of {group} over equally good plans", "同样好的方案中{group}占比"),
    "sum_equally_good_land": ("New land of {group} over equally good plans", "同样好的方案中{group}新增用地"),
    "group_main": ("the main platform", "主平台"),
    "group_favoured": ("the favoured areas", "倾斜对象"),
    "group_of_rule": ("the areas favoured by '{name}'", "“{name}”所倾斜的平台"),
    "alt_share": ("Other plans are just as good{fixed}: the share of new land of {group} may lie anywhere from "
                  "{lo} to {hi}. This plan takes the highest, as the plans give elements to the platforms they "
                  "favour first.",
                  "另有同样好的方案{fixed}：{group}占新增用地的比例可在 {lo}–{hi} 之间。本方案按“要素优先向主平台"
                  "配置”的取向取其最高值。"),
    "alt_land": ("Other plans are just as good{fixed}: the new land of {group} may lie anywhere from {lo} to "
                 "{hi} {unit}. This plan takes the most, as the plans give elements to the platforms they favour "
                 "first.",
                 "另有同样好的方案{fixed}：{group}新增用地可在 {lo}–{hi} {unit} 之间。本方案按“要素优先向主平台"
                 "配置”的取向取其最多者。"),
    "alt_fixed": (" (with the yes/no decisions kept: projects, industries, exits)", " (已选定的项目、产业、退出等决定不变)"),
    "sum_tilt": ("{name}: achieved share", "{name}：实际占比"),
    "sum_over_years": (" (summed over the years {years})", " ({years}各年合计)"),
    "sum_final_year": ("  of which in {year} alone: {obj}", "  其中{year}年当年{obj}"),
    "in_year": (" ({year})", " ({year}年)"),
    "sum_penalties": ("Soft-rule penalties", "软约束罚项合计"),
    "sum_stage": ("Stage {k}: {sense} {obj}", "第{k}阶段：{sense}{obj}"),
    "sum_new_land": ("New land allocated", "新增用地合计"),
    "sum_main_share": ("Share of new land to the main platform", "新增用地主平台占比"),
    "sum_new_metric": ("New {name}", "新增{name}"),
    "sum_binding": ("What limits the plan (most valuable first)", "制约方案的限额 (按边际效益排序)"),
    "sum_violated": ("Violated rules (soft)", "违反的软约束"),
    "sum_relaxed": ("Relaxed by the diagnosis", "诊断放宽的约束"),
    "sum_checker": ("Independent check", "独立校核"),
    "sum_duals": ("Value of one more unit is exact", "边际效益为确定值"),
    "sum_duals_fixed": ("Value of one more unit is exact (yes/no decisions kept)", "边际效益为确定值 (已定的是否类决策不变)"),
    "sum_placed": ("Projects placed", "落地项目"),
    "n_of": ("{k} of {n}", "{k} / {n} 个"),
    "sum_mip_gap": ("Yes/no decisions", "是否类决策"),
    "mip_proven": ("proven optimal", "已证明最优"),
    "mip_within_asked": ("within {gap} of the best bound (as asked: {asked})",
                         "与最优界差距 {gap} (按设定允许 {asked})"),
    "mip_stopped": ("stopped before proven optimal: up to {gap} from the best bound",
                    "未证明最优即停止，与最优界差距至多 {gap}"),
    "note_duals_fixed": ("With the chosen projects and yes/no decisions fixed: every price below is what one "
                         "unit more or less is worth with the same projects placed (and the same industries in "
                         "each area); a count is priced by solving again with one item more or less.",
                         "以下边际效益均在已选定的项目安排（及各片区主导产业）不变的前提下计算；"
                         "数量类约束的边际效益为增减一个后重新求解所得。"),
    "maximise": ("maximise", "最大化"),
    "minimise": ("minimise", "最小化"),
    "none": ("none", "无"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "passed": ("passed ({n} bounds)", "通过 ({n} 项界限)"),
    "failed": ("failed", "未通过"),
    "all_areas": ("All areas", "全区"),
    "budget_row": ("Budget", "预算"),
    "utilisation_row": ("Utilisation", "利用率"),
    # `flow` and `level` are looked up by a resource's accounting: what its budget limits, in words
    "flow": ("given in that year", "当年新增"),
    "level": ("yearly use by all land given so far", "年用量上限 (累计至当年的全部新增用地)"),
    "with_stock": ("stock + new", "含存量"),
    "new_only": ("new land only", "仅新增"),
    "pct_point": ("1 percentage point", "1个百分点"),
    "one_unit": ("1 {unit}", "1 {unit}"),
    # --- roles, statuses, limit kinds
    "role_main": ("main platform", "主平台"),
    "role_sub": ("sub-area", "分区"),
    "role_linked": ("linked area", "关联拓展区"),
    "role_outside": ("rest of county", "其他区域"),
    "st_optimal": ("optimal", "最优"),
    "st_infeasible": ("infeasible", "不可行"),
    "st_unbounded": ("unbounded", "无界"),
    "st_time_limit": ("time limit reached", "达到时间限制"),
    "solver_said": ("Solver message: {message}", "求解器信息：{message}"),
    "st_iteration_limit": ("iteration limit reached", "达到迭代限制"),
    "st_interrupted": ("interrupted", "已中断"),
    "st_numerical_error": ("numerical error", "数值错误"),
    "st_error": ("solver error", "求解器错误"),
    "rs_met": ("met", "满足"),
    "rs_binding": ("binding", "紧约束"),
    "rs_not_placed": ("project not placed", "项目未落地"),
    "rs_outside": ("placed outside the rule's areas", "落地于适用范围以外"),
    "rs_violated": ("violated", "违反"),
    "rs_relaxed": ("relaxed", "已放宽"),
    "rs_absent": ("absent", "无此项"),
    "lk_budget": ("budget", "预算"),
    "lk_capacity": ("capacity", "可开发容量"),
    "lk_area_min_land": ("area minimum land", "区域最低用地"),
    "lk_area_max_land": ("area maximum land", "区域最高用地"),
    "lk_sector_max_land": ("sector demand cap", "行业需求上限"),
    "lk_sector_min_land": ("sector minimum land", "行业最低用地"),
    "lk_renewal": ("renewal allowance", "可更新存量"),
    "lk_rule": ("rule", "规则"),
    "side_min": ("min", "下限"),
    "side_max": ("max", "上限"),
    # --- notes and sentences
    "grp_summary": ("{n} instances; tightest: {group}", "{n} 个实例；最紧：{group}"),
    "grp_cmp_summary": ("{n} changed ({status} in status, {bound} in bound); tightest: {group}",
                        "{n} 个实例变化 (状态变化 {status} 个，界限变化 {bound} 个)；最紧：{group}"),
    "st_counts": ("{status} ({binding} binding, {violated} violated of {n})",
                  "{status} ({n} 个中紧约束 {binding} 个，违反 {violated} 个)"),
    "note_summarised": ("Rules with more than {limit} rows are shown by their tightest instance "
                        "(smallest slack; a violation first); --detail lists every row.",
                        "行数超过 {limit} 的规则只列出最紧的实例 (松弛最小，违反优先)；加 --detail 列出全部。"),
    "note_cmp_summarised": ("Rules with more than {limit} changed rows are shown by their tightest changed instance "
                            "(a violation first, then binding, then the smallest slack, in any plan); --detail lists "
                            "every row.",
                            "变化行数超过 {limit} 的规则只列出最紧的变化实例 (任一方案中违反优先，其次为紧约束，"
                            "再次为松弛最小)；加 --detail 列出全部。"),
    "note_disallowed": ("{mark} = the sector may not receive land in this area.",
                        "{mark} = 该区域不允许此行业。"),
    "note_levels": ("Multi-year: resources are totals of all new land by the final year. Where a budget limits "
                    "what is given in that year, available is the sum of the yearly budgets; where it limits the "
                    "yearly use by all land given so far, available is the final year's budget (a yearly "
                    "budget of 8000 tce then allows 8000 tce by the final year, not 8000 a year).",
                    "多年份：要素为截至末年全部新增用地的合计。预算限定当年新增的，可用量为各年预算之和；"
                    "预算限定年用量 (累计至当年的全部新增用地) 的，可用量为末年预算 (每年预算 8000 tce，"
                    "则到末年全部新增用地合计用 8000 tce，而非每年 8000)。"),
    "note_offset": ("{name} is counted at its offset ratio {offset:g}:1, as its budget counts it.",
                    "{name}按 {offset:g}:1 削减替代比例计入，与预算口径一致。"),
    "note_cost": ("Quota cost = use × the scenario's price. One-off prices (a land price) and annual prices "
                  "(emission rights, quoted per tonne per year) are shown in separate columns and never added "
                  "together; annual costs are for one year of the final year's use.",
                  "要素成本 = 使用量 × 情景给定的单价。一次性价格 (如土地价格) 与按年价格 (如排污权，"
                  "按每吨每年计) 分列，不相加；年度成本按末年用量计一年。"),
    "note_estimated": ("The budgets of {names} are this plan's estimates, not issued figures: what one more unit "
                       "is worth rests on those estimates and should be read as an order of magnitude.",
                       "{names}的预算为本方案估计值，并非下达数：其边际效益取决于该估计，仅反映量级。"),
    "mark_all_estimated": (" (all budgets estimated)", " (预算均为估计值)"),
    "mark_some_estimated": (" (estimated budgets: {names})", " (其中{names}的预算为估计值)"),
    "note_price": ("{name}: price {price} {unit}, {basis}.", "{name}：单价 {price} {unit}，{basis}。"),
    "note_relaxed_alloc": ("Computed from the allocation under the relaxed bounds of the diagnosis.",
                           "以下数字按诊断放宽后的配置计算。"),
    "note_infeasible": ("No allocation meets every rule and budget. The table lists the smallest relaxation "
                        "(each move weighed by its size relative to its bound); applying every entry makes "
                        "the plan feasible.",
                        "没有任何配置能同时满足全部规则和预算。下表为最小放宽方案 (按相对界限的幅度加权)；"
                        "全部放宽后方案可行。"),
    "note_no_allocation": ("No allocation could be computed.", "无法给出配置结果。"),
    "note_degenerate": ("The optimum is degenerate: the shadow prices are not unique (several dual solutions "
                        "are valid). The exact columns give the one-sided change found by solving again with "
                        "the bound moved by a small step ({n} limits re-solved).",
                        "最优解退化：影子价格不唯一 (存在多组对偶解)。“精确”列为将界限移动一小步后重新求解得到的"
                        "单侧变化 (重新求解 {n} 项限额)。"),
    "note_no_duals": ("The solver gives no shadow prices; the exact columns come from solving again with the "
                      "bound moved by a small step ({n} limits re-solved).",
                      "该求解器不提供影子价格；“精确”列为将界限移动一小步后重新求解得到 (重新求解 {n} 项限额)。"),
    "note_capped": ("{n} further binding limits were not re-solved (limit {max}): for them the table's "
                    "change is one of several valid values and only bounds the exact one; a sentence gives "
                    "it as \"at most\", and where it is 0 loosening gains nothing and the cost of tightening "
                    "was not computed.",
                    "另有 {n} 项紧约束未重新求解 (上限 {max} 项)：表中其变化值只是多个可能值之一，"
                    "只给出实际变化的上限，文字中写作“至多”；该值为 0 的，放宽不带来效益，收紧的影响未计算。"),
    "note_shadow_sign": ("Positive: loosening the limit improves the objective ({obj}).",
                         "正值表示放宽该限额可改善目标 ({obj})。"),
    "note_per_mu_zone": ("The last row is the whole zone: all areas together.", "末行为全区合计。"),
    "note_per_mu_rules": ("All areas: the whole zone together. The rows after it are the blends that per-mu rules "
                          "measure over a selection of areas, named by the rule (id), against the rule's target.",
                          "全区为全部区域合计；其后各行为按区域组合考核的亩均规则 (规则名称及编号) 所测算的综合亩均值，"
                          "对照该规则的目标。"),
    "note_no_change": ("No differences.", "无差异。"),
    "note_zone_unknown": ("All areas: before and after are left blank because {areas} has no existing {metric} "
                          "figure (its stock land is counted, its {metric} unknown); the new-land column covers "
                          "every area.",
                          "全区：{areas}无现状{metric}数据 (有现状用地而{metric}未知)，故全区现状与配置后亩均值留空；"
                          "新增用地列为全部区域合计。"),
    "note_cmp_zone_unknown": ("All areas is shown only for indicators every area with existing land has an "
                              "existing figure for.",
                              "全区亩均值只列出有现状用地的区域均有现状数据的指标。"),
    "note_objectives_differ": ("The plans optimise different objectives ({objectives}): their objective values and "
                               "shadow prices are not compared.",
                               "各方案的优化目标不同 ({objectives})：目标值与影子价格不作增减比较。"),
    "note_units_converted": ("Every quantity is shown in the first plan's units.",
                             "各方案数值均已换算为第一个方案的单位。"),
    "obj_words": ("{sense} {obj}", "{sense}{obj}"),
    "sent_budget": ("One more {unit} of {name}{year} → {change}.", "{name}{year}每增加1 {unit} → {change}。"),
    "sent_max": ("Raising {name}{group}{year} (max {bound}) by {step} → {change}.",
                 "{name}{group}{year} (上限 {bound}) 每提高{step} → {change}。"),
    "sent_min": ("Lowering {name}{group}{year} (min {bound}) by {step} → {change}.",
                 "{name}{group}{year} (下限 {bound}) 每降低{step} → {change}。"),
    "sent_exact": ("{head} Tightening by {step} → {tighten} (exact, by solving again).",
                   "{head}收紧{step} → {tighten} (重新求解的精确值)。"),
    "sent_at_most": ("at most {change}", "至多 {change}"),
    "sent_bound": ("{head} Not re-solved: the exact change may be smaller.", "{head}未重新求解，实际变化可能更小。"),
    "sent_change": ("{sign}{value} {unit} {obj}", "{obj} {sign}{value} {unit}"),
    "sent_infeasible": ("infeasible", "不可行"),
    "sent_unchanged": ("{obj} unchanged", "{obj}不变"),
    "sent_more": ("... and {n} more in the table below.", "…… 其余 {n} 项见下表。"),
    "sent_quiet": ("{n} limits worth nothing at the margin either way are listed in the table only.",
                   "另有 {n} 项限额放宽或收紧均无边际效益，只列在下表中。"),
}

AREA_UNITS_ZH = {"mu": "亩", "ha": "公顷", "km2": "平方公里", "m2": "平方米", "items": "个"}
AREA_UNITS_EN = {"亩": "mu", "公顷": "ha", "平方公里": "km2", "平方千米": "km2", "平方米": "m2", "吨标准煤": "tce",
                 "吨标煤": "tce", "吨": "t"}


def tr(key: str, lang: str, **params: object) -> str:
    """The report text of `key` in `lang` (see `landopt.i18n.messages.pick`)."""
    return pick(TEXTS, key, lang, **params)


def unit_label(unit: str, lang: str) -> str:
    """A unit as a reader expects it: area units as 亩/公顷 in Chinese, mu/ha in English.

    Compound units map each part: '万元/mu' -> '万元/亩' (zh). Money (万元), tce and t stay as written.
    """
    table = AREA_UNITS_ZH if lang == "zh" else AREA_UNITS_EN
    return "/".join(table.get(p, p) for p in unit.split("/"))


def spaced(name: str, lang: str) -> str:
    """`name` before a word the Chinese templates append directly ('{name}累计'): with a space after a
    closing bracket, so that '用能 (等价值)' + '累计' reads '用能 (等价值) 累计', not '用能 (等价值)累计'."""
    return f"{name} " if lang == "zh" and name.endswith((")", "）")) else name


def with_unit(name: str, unit: str) -> str:
    """'name (unit)', or just the name when there is no unit."""
    return f"{name} ({unit})" if unit else name
