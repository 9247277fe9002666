"""The command line's help, in English and Chinese: every text `landopt --help` and `landopt COMMAND --help`
show, and the words of click (the command-line library) in Chinese; with the display width of a text and a
wrapper that counts a Chinese character as two columns, so that a Chinese help page aligns in a terminal.

`HELP` holds landopt's own texts, one `Bi` per id: a command's name for its help page, `opt.NAME` for an
option several commands share, `COMMAND.NAME` for an option of one command. `SHORT_ZH` holds the one-line
description of each command in the list of commands (in English click takes the first sentence of the help).

`CLICK_ZH` is a gettext catalogue: click marks each of its own words ("Usage:", "Options", "Missing
argument", "No such command {name!r}.") with gettext, whose key is the English text itself; `CLICK_ZH`
gives the Chinese for the ones a landopt user can meet. The command line (`landopt.cli`) hands them to
click while it runs in Chinese. Templates may drop a field of the English (click's "File" before a path,
which it words in English once at start-up).

Pure Python, no import beyond the standard library: `landopt --help` must stay light.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from landopt.i18n.text import Bi

HELP: Mapping[str, Bi] = {
    # ---- landopt itself
    "landopt": Bi(
        "landopt: allocate new land, energy and emission quota across a zone's main platform and sub-areas.\n\n"
        "Exit codes: 0 optimal; 1 infeasible, unbounded, time limit or solver failure (a diagnosis is printed);\n"
        "2 bad input; 3 an `expect` block did not hold; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).",
        "landopt：在开发区主平台与各片区之间分配新增用地、能耗和排放指标。\n\n"
        "退出码：0 求得最优方案；1 无可行方案、目标值无上限（缺少限额）、达到时间上限或求解器出错（同时给出诊断）；"
        "2 输入有误；3 `expect` 预期未满足；130 已中断（Ctrl-C）；143 已被终止（SIGTERM）。",
    ),
    "opt.help": Bi("Show this message and exit.", "显示本帮助后退出。"),
    "opt.version": Bi("Show the version and exit.", "显示版本号后退出。"),
    "landopt.debug": Bi("Show Python tracebacks for internal errors.",
                        "出现内部错误时显示 Python 调用栈（供查找程序缺陷）。"),
    "landopt.lang": Bi("Language of reports and messages: zh or en.",
                       "报告和提示信息的语言：zh（中文）或 en（英文）。"),
    # ---- options several commands share
    "opt.set": Bi("Override a value, e.g. --set resources.energy.budget=25000 (repeatable).",
                  "改写情景文件中的一个值，如 --set resources.energy.budget=25000（可重复使用）。"),
    "opt.variant": Bi("Apply a named variant from the file's variants: (repeatable, or a,b).",
                      "采用情景文件 variants: 中定义的一个变体（可重复使用，或写成 a,b）。"),
    "opt.lang": Bi("Language of reports and messages (default: the group's --lang, $LANDOPT_LANG, "
                   "zh under a Chinese locale (LANG=zh_CN...), else en).",
                   "报告和提示信息的语言。默认依次为：写在 landopt 之后的 --lang，环境变量 $LANDOPT_LANG，"
                   "中文区域设置（LANG=zh_CN...）下为 zh，否则为 en。"),
    "opt.solver": Bi("Backend: auto, highs, clp, glop, pdlp, cbc, scip (see `landopt solvers`).",
                     "求解器：auto、highs、clp、glop、pdlp、cbc、scip（本机可用哪些，见 `landopt solvers`）。"),
    "opt.format": Bi("table (text), markdown, csv (UTF-8 with BOM), json (the engine's result), "
                     "xlsx (needs --out) or html (one self-contained file). Default: the one --out's "
                     "extension names (.txt .md .csv .json .xlsx .html .htm), else table.",
                     "输出格式：table（文本表格）、markdown、csv（带 BOM 的 UTF-8）、json（完整计算结果）、"
                     "xlsx（须同时用 --out 指定文件）或 html（单个网页文件，不依赖其他文件）。"
                     "不写时按 --out 的扩展名（.txt .md .csv .json .xlsx .html .htm）确定，否则为 table。"),
    "opt.out": Bi("Write to this file (atomically) instead of stdout; never one of the run's input "
                  "files. A device or FIFO (/dev/null, /dev/stdout) is written into.",
                  "将报告写入该文件（一次写成，中途中断不留残缺文件），不再输出到屏幕；"
                  "不能是本次运行读取的文件。设备或管道（如 /dev/null、/dev/stdout）直接写入。"),
    "opt.time_limit": Bi("Wall-clock limit in seconds, a number > 0 (covers reading the file, the build and "
                         "every solve).",
                         "运行时间上限，单位秒，须大于 0（读取文件、建立模型和每次求解都计算在内）。"),
    # ---- solve
    "solve": Bi(
        "Solve FILE and report: summary, allocation by area, area x sector matrix, performance,\n"
        "rule compliance, shadow prices (and the year-by-year path, or the diagnosis first when infeasible).",
        "求解情景文件 FILE 并出具报告：概要、各片区配置、分区分行业用地、效益指标、各项规则达标情况、"
        "边际效益（分年度的情景另列逐年进程；无可行方案时先给出诊断）。",
    ),
    "solve.detail": Bi("Add a section listing every nonzero allocation.", "另设一节，逐项列出全部非零配置。"),
    "solve.no_canonical": Bi("Skip the canonical tie-break stage.",
                             "跳过规范解步骤（效益相同的多个方案中按固定规则取定一个）。"),
    "solve.progress": Bi("Report each step (build, each solve, check) on stderr; default: when stderr is a "
                         "terminal.",
                         "在标准错误输出上逐步报告进度（建立模型、每次求解、校核）；"
                         "不写时，标准错误输出为终端则报告。"),
    # ---- compare
    "compare": Bi(
        "Compare plans side by side, with changes against the first plan.\n\n"
        "FILES: two or more scenario files; or one FILE with --variants a,b,c (only the named variants,\n"
        "'base' for the file itself); or one FILE alone, which compares the file with each of its variants.\n"
        "--set applies to every plan. Shows objective, resource totals, allocation by area (by area x\n"
        "sector with --detail), per-mu results, rules whose status changed and shadow prices that moved.\n"
        "Exit code 0 when every plan is optimal, else 1.",
        "并列比较多个方案，并列出各方案相对第一个方案的变化。\n\n"
        "FILES：两个以上情景文件；或一个文件加 --variants a,b,c（只比较所列变体，'base' 指文件本身）；"
        "或只给一个文件，即将该文件与它的每个变体逐一比较。--set 对每个方案都适用。"
        "比较内容：目标值、各项资源合计、各片区配置（加 --detail 时分区分行业）、亩均效益、"
        "达标情况有变化的规则、有变动的边际效益。各方案均求得最优时退出码为 0，否则为 1。",
    ),
    "compare.variants": Bi("Compare these variants of one FILE, in this order; 'base' is the file without variants.",
                           "按所列顺序比较同一情景文件的这些变体；'base' 指不加变体的文件本身。"),
    "compare.detail": Bi("Also compare land by area x sector, and list every changed row of a rule with more "
                         "than 12 (shown by its tightest one otherwise).",
                         "同时比较分区分行业用地；分项超过 12 条的规则，逐条列出有变化的分项"
                         "（不加此项时只列最接近限值的一条）。"),
    # ---- validate
    "validate": Bi("Check FILE (and every variant it defines) without solving.",
                   "检查情景文件 FILE（及其中定义的每个变体），不求解。"),
    # ---- check
    "check": Bi(
        "Run the `expect` blocks of scenario files (default: scenarios/) and print a diff on a mismatch.\n\n"
        "Files and folders whose names start with '_' are fragments for `extends:` and are skipped.\n"
        "A file (or variant) without an `expect` block is reported as not checked, never as passed; the exit\n"
        "code is 0 when nothing failed.",
        "按情景文件中的 `expect` 预期核对求解结果（默认核对 scenarios/ 下的文件），不符时列出差异。\n\n"
        "名称以 '_' 开头的文件和文件夹是供 `extends:` 引用的片段，不予核对。"
        "没有 `expect` 预期的文件（或变体）记为未核对，不算通过；没有不符项时退出码为 0。",
    ),
    "check.all_solvers": Bi("Run every available backend that can solve each scenario.",
                            "用本机所有能求解该情景的求解器各运行一遍。"),
    "check.variants": Bi("Also run every variant a file defines.", "同时核对情景文件中定义的每个变体。"),
    "check.junit": Bi("Also write JUnit XML for CI (atomically): one test case per file x variant x solver; "
                      "a difference is a failure with the diff, a case with nothing to check is skipped.",
                      "另写一份 JUnit XML 文件供持续集成（CI）使用（一次写成）：每个文件、变体和求解器的组合"
                      "为一个测试用例；有差异的记为失败并附差异，没有可核对内容的记为跳过。"),
    "check.json": Bi("Also write every case and the counts as JSON (atomically).",
                     "另将每个用例和汇总计数写成 JSON 文件（一次写成）。"),
    "check.record": Bi("Solve one FILE and print the expect: block its current result meets (and one per variant), "
                       "to paste into the file; nothing is compared and the file is never changed.",
                       "求解一个情景文件，输出与当前结果相符的 expect: 预期（每个变体各一段），供粘贴到文件中；"
                       "不作核对，也不改动文件。"),
    # ---- export
    "export": Bi("Write the built model of FILE as an LP or MPS file.",
                 "将情景文件 FILE 建成的模型写成 LP 或 MPS 文件，供其他求解器使用。"),
    "export.lp": Bi("Write CPLEX LP format.", "写成 CPLEX LP 格式。"),
    "export.mps": Bi("Write free MPS format.", "写成自由格式的 MPS。"),
    # ---- template
    "template": Bi(
        "Write OUT.xlsx, a workbook a bureau fills in: one sheet per table of a scenario (areas, sectors, ...),\n"
        "named in Chinese, with Chinese headers and units, drop-downs (roles, sector ids, tags, yes/no), one\n"
        "example row, and a first sheet on how to fill it in (in Chinese and English); and the scenario file that\n"
        "reads it (--yaml FILE, else printed). With --from FILE the sheets hold FILE's entries of those tables,\n"
        "and OUT.yaml (or --yaml) keeps everything else of FILE and reads them from OUT.xlsx: `landopt export\n"
        "--lp` gives the same model. Needs openpyxl (pip install 'landopt[tables]').",
        "写出供填报的工作簿 OUT.xlsx: 情景的每张表 (片区、行业等) 各占一张工作表, 表头为中文列名和单位, "
        "带下拉选项 (角色、行业编号、标签、是/否) 和一行示例, 另有一张“说明”工作表 (中英文填表说明); "
        "同时写出读取该工作簿的情景文件 (用 --yaml 指定文件, 否则输出到屏幕)。"
        "用 --from 指定情景文件时, 工作表中填入该情景这些表的数据, OUT.yaml (或 --yaml 指定的文件) "
        "保留该情景的其余内容, 并从 OUT.xlsx 读取这些表: 用 `landopt export --lp` 导出的模型与原情景相同。"
        "需要安装 `openpyxl` (表格扩展 landopt[tables])。",
    ),
    "template.from": Bi("Fill the sheets from this scenario file (its extends merged in; --variant applies one of "
                        "its variants first).",
                        "用此情景文件的数据填写各工作表 (并入其 extends 引用的文件; 加 --variant 时先采用该变体)。"),
    "template.yaml": Bi("Write the scenario file that reads the workbook here (default: OUT.yaml with --from, "
                        "else printed).",
                        "将读取该工作簿的情景文件写到此处 (默认: 用 --from 时为 OUT.yaml, 否则输出到屏幕)。"),
    # ---- sweep
    "sweep": Bi(
        "Solve FILE at many points, each a set of --set values, and write DIR/manifest.csv (one row per point:\n"
        "its id, its values, status, objective, each resource's use, the top shadow prices, seconds; a point\n"
        "that is not optimal says why) and DIR/points/ID.parquet (its allocation). Each point is what\n"
        "`landopt solve FILE --set ... --set PATH=VALUE` gives. --set and --variant apply to every point.",
        "在多个参数点上求解情景文件 FILE (每个点即一组 --set 取值), 写出 DIR/manifest.csv (每点一行: 编号、取值、"
        "求解状态、目标值、各项资源用量、最大的几个边际效益、用时; 未得最优解的点注明原因) 和 DIR/points/编号.parquet "
        "(该点的配置结果)。每个点的结果与 `landopt solve FILE --set ... --set 路径=取值` 相同。"
        "--set 和 --variant 对每个点都适用。",
    ),
    "sweep.vary": Bi("A path (any --set path) and its values: PATH=V1,V2,... or PATH=START:STOP:N (N evenly spaced "
                     "values, ends included; a unit may follow a number: 600 mu:700 mu:3). Repeatable: the points "
                     "are the product of the values, or with --zip their pairs. Replaces or adds to the paths of FILE's "
                     "`sweep:` block, which may give them instead.",
                     "一个路径 (可用 --set 改写的任一路径) 及其取值: 路径=V1,V2,... 或 路径=START:STOP:N "
                     "(含两端的 N 个等距取值; 数值后可带单位, 如 600 mu:700 mu:3)。可重复使用: "
                     "各路径取值的全部组合构成参数点, 加 --zip 则逐一配对。也可写在情景文件的 `sweep:` 段中; "
                     "此处给出的路径替换或补充该段的路径。"),
    "sweep.zip": Bi("Pair the values of the --vary options (the first of each, the second of each, ...) instead of "
                    "taking every combination.",
                    "将各 --vary 的取值逐一配对 (各取第一个、各取第二个……), 不取全部组合。"),
    "sweep.samples": Bi("Draw N points at random instead of the grid: a range START:STOP (N may be left out) "
                        "uniformly, a list by choice.",
                        "不按网格取点, 改为随机抽取 N 个点: 区间 START:STOP (可不写 N) 内均匀抽取, 列表中等概率抽取。"),
    "sweep.seed": Bi("Seed of --samples (default 0): the same seed draws the same points.",
                     "--samples 的随机种子 (默认 0): 种子相同, 抽到的点相同。"),
    "sweep.time_limit": Bi("Wall-clock limit of each point in seconds, a number > 0.",
                           "每个点的运行时间上限, 单位秒, 须大于 0。"),
    "sweep.workers": Bi("Solve N points at a time in N worker processes (default: the CPUs this process may use; "
                        "1 solves in this process). A worker that dies is replaced and its point runs again.",
                        "用 N 个计算进程同时求解 N 个点 (默认为本进程可用的处理器数; 为 1 时在本进程内求解)。"
                        "计算进程意外终止时另起进程, 并重算其上的点。"),
    "sweep.scheduler": Bi("Run the points on a dask.distributed cluster at this address (e.g. tcp://10.0.0.5:8786; "
                          "default $DASK_SCHEDULER_ADDRESS) instead of local processes; needs `pip install "
                          "'landopt[sweep]'`.",
                          "改在此地址的 dask.distributed 集群上计算 (如 tcp://10.0.0.5:8786; 默认取环境变量 "
                          "$DASK_SCHEDULER_ADDRESS), 不用本机进程; 须先安装参数扫描扩展 (landopt[sweep])。"),
    "sweep.out": Bi("The folder to write (created if need be): manifest.csv, sweep.json and points/. Each point is "
                    "written, atomically, as soon as it is done: an interrupted sweep keeps every finished point. "
                    "At the end, with matplotlib ('landopt[explore]'): objective.png/.svg and prices.png/.svg "
                    "against each varied path, and tornado.png/.svg for --samples.",
                    "写出结果的文件夹 (不存在则新建): manifest.csv、sweep.json 和 points/。每个点算完即写出 "
                    "(一次写成): 中断后已算完的点都保留。全部算完后, 如已安装 `matplotlib` (landopt[explore]), "
                    "另绘目标值图 objective.png/.svg、影子价格图 prices.png/.svg, 随机抽样时还绘龙卷风图 "
                    "tornado.png/.svg。"),
    "sweep.cold": Bi("Solve every point from scratch, as a fresh `landopt solve` would (by default a worker keeps "
                     "the solver's model from its last point, sends it only the numbers that changed and starts "
                     "from the last point's solution). The answers are the same; use it to measure the difference, "
                     "or to rule it out.",
                     "每个点都从头求解, 与单独运行 `landopt solve` 相同 (默认情况下, 计算进程沿用上一个点的求解器"
                     "模型, 只传入变动的数值, 并从上一个点的解接着求解)。结果相同; 用于比较速度, 或排除其影响。"),
    "sweep.resume": Bi("Finish the sweep in --out: run only the points not yet there (the same FILE and options).",
                       "续算 --out 中的参数扫描: 只计算其中尚缺的点 (情景文件和选项须与原来相同)。"),
    # ---- rules, solvers
    "rules": Bi("List every rule kind: what it is for, its inequality, its bounds and keys, how a violation is "
                "measured.",
                "列出每种规则：用途、约束式、限值、可写的键，以及未达标的程度如何计量。"),
    "solvers": Bi("List the solver backends and whether they are available here.",
                  "列出各求解器及其在本机是否可用。"),
    # ---- pareto, alternatives
    "pareto": Bi(
        "The Pareto front of two or three objectives of FILE (AUGMECON2: lexicographic payoff table, a grid of\n"
        "values of the other objectives, each point solved for the first objective; points a later grid value\n"
        "would repeat are skipped). Writes DIR/front.csv (one row per point), DIR/point_NN.parquet (each point's\n"
        "land by area, sector, project and year; point_NN.csv without pyarrow) and, with matplotlib\n"
        "(pip install 'landopt[explore]'), DIR/front.png and front.svg (a MILP's front as points only); prints\n"
        "the front. Soft rules may be broken no more than in FILE's optimum.",
        "求情景文件 FILE 两个或三个目标之间的帕累托前沿（AUGMECON2 方法：先按字典序求各目标的最优值表，"
        "再在其余目标的取值范围内均匀取点，逐点求第一个目标的最优方案；后续取点结果相同的跳过不算）。"
        "写出 DIR/front.csv（每个前沿点一行）、DIR/point_NN.parquet（各点按片区、行业、项目和年度列出的新增用地；"
        "未装 `pyarrow` 时为 point_NN.csv），装有 `matplotlib` 时（扩展 landopt[explore]）另绘 "
        "DIR/front.png 和 front.svg（混合整数规划的前沿只画点、不连线）；并在屏幕上列出前沿。"
        "软约束的违反量不超过该情景最优方案中的违反量。",
    ),
    "pareto.objectives": Bi("Two or three metrics, comma-separated; a leading '-' minimises: tax,-energy.",
                            "两个或三个指标，以逗号分隔；前加 '-' 表示求最小，如 `tax,-energy`。"),
    "pareto.points": Bi("Grid points on each other objective, at least 2 (default 21).",
                        "其余每个目标上均匀取的点数，至少为 2（默认 21）。"),
    "explore.out": Bi("The folder to write into (made if missing; each file written atomically).",
                      "输出文件夹（不存在时新建；每个文件一次写成）。"),
    "alternatives": Bi(
        "Plans of FILE within --slack of its best objective that put the land elsewhere (modelling to generate\n"
        "alternatives: first the area x sector pairs already used are avoided, then random directions, seeded).\n"
        "Writes DIR/alternatives.csv (one row per plan, plan 0 the optimum) and DIR/plan_NN.csv (each plan's\n"
        "land); prints each area's land in every plan against the optimum.",
        "在情景文件 FILE 最优目标值的 --slack 范围之内，求新增用地落在不同地方的备选方案"
        "（生成备选方案法：先尽量避开已有方案用过的片区和行业，再按固定种子的随机方向寻找）。"
        "写出 DIR/alternatives.csv（每个方案一行，0 号为最优方案）和 DIR/plan_NN.csv（各方案的新增用地），"
        "并在屏幕上对照最优方案列出每个方案各片区的新增用地。",
    ),
    "alternatives.slack": Bi("How far below the best objective a plan may be, a share in [0, 1) (default 0.05).",
                             "备选方案的目标值可比最优值差多少，为 [0, 1) 之间的比例（默认 0.05，即 5%）。"),
    "alternatives.n": Bi("How many alternatives to look for, at least 1 (default 10).",
                         "要寻找的备选方案个数，至少为 1（默认 10）。"),
}
"""Every help text of the command line, by id (see the module docstring)."""

SHORT_ZH: Mapping[str, str] = {
    "solve": "求解情景文件并出具报告",
    "compare": "并列比较多个方案及其变化",
    "validate": "检查情景文件，不求解",
    "check": "按 expect 预期核对情景文件的求解结果",
    "export": "将模型写成 LP 或 MPS 文件",
    "template": "写出供填报的 xlsx 工作簿及读取它的情景文件",
    "sweep": "在多个参数点上求解, 逐点写出结果",
    "rules": "列出全部规则种类及其写法",
    "solvers": "列出各求解器及其在本机是否可用",
    "pareto": "求两三个目标之间的帕累托前沿",
    "alternatives": "求与最优值相差不大、用地布局不同的备选方案",
}
"""Each command's line in `landopt --help`'s list of commands, in Chinese."""

CLICK_ZH: Mapping[str, str] = {
    # the help page
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "[OPTIONS]": "[选项]",
    "COMMAND [ARGS]...": "命令 [参数]...",
    "default: {default}": "默认: {default}",
    "required": "必填",
    "env var: {var}": "环境变量: {var}",
    "Show this message and exit.": "显示本帮助后退出。",
    "Show the version and exit.": "显示版本号后退出。",
    # errors: the frame
    "Error: {message}": "错误: {message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Aborted!": "已中止。",
    # errors: what is wrong (click 8.2 and later word a few of them differently: both are here)
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数: {param_name}",
    "{missing} {param_hint}.": "{missing} {param_hint}。",  # landopt's own key: click ends this one with a '.'
    "Missing command.": "缺少命令。",
    "Invalid value: {message}": "取值无效: {message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效: {message}",
    "{value!r} is not {choice}.": "{value!r} 不可用，只能是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不可用，可选 {choices}。",
    "No such option {name!r}.": "没有 {name!r} 这个选项。",
    "No such option: {name}": "没有 {name} 这个选项。",
    "No such command {name!r}.": "没有 {name!r} 这个命令。",
    "Did you mean {possibility}?": "您要用的可能是 {possibility}。",
    "(Did you mean one of: {possibilities}?)": "（可能是其中之一: {possibilities}）",
    "Got unexpected extra argument ({args})": "多出了参数 {args}。",
    "Got unexpected extra arguments ({args})": "多出了参数 {args}。",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面要写一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面要写 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 后面不能写值。",
    "{name} {filename!r} does not exist.": "{filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，这里应为文件夹。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，这里应为文件。",
    "{name} {filename!r} is not readable.": "{filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{filename!r} 不可写。",
}
"""click's own words in Chinese, keyed by their English as gettext keys them (see the module docstring)."""


# ---------------------------------------------------------------- display width and wrapping

def width(text: str) -> int:
    """The columns `text` takes in a terminal: two for a wide character (Chinese, full-width punctuation),
    none for a combining mark, one for any other."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


_NO_LINE_START = set("，。、；：\uff1f\uff01）》」』】,.;:?!)]}%")
"""Punctuation that never begins a line (it stays with the character before it)."""
_NO_LINE_END = set("（《「『【([{")
"""Punctuation that never ends a line (it goes with the character after it)."""


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def _pieces(text: str, cjk: bool = True) -> list[str]:
    """`text` cut where a line may break: a run of spaces; each wide character alone (closing punctuation
    kept with what precedes it, opening with what follows); a run of other characters (a word, an option, a
    number) whole. With `cjk` false, only at spaces."""
    out: list[str] = []
    glue = False  # the next piece joins the last one (after opening punctuation)
    for c in text:
        if c == " ":
            kind = " "
        elif cjk and _wide(c):
            kind = "w"
        else:
            kind = "a"
        last = out[-1] if out else ""
        joins = last and (
            (glue and kind != " ")
            or (c in _NO_LINE_START and last[-1] != " ")
            or (kind == "a" and last[-1] != " " and not (cjk and _wide(last[-1])))
            or (kind == " " and last[-1] == " ")
        )
        if joins:
            out[-1] += c
        else:
            out.append(c)
        glue = c in _NO_LINE_END
    return out


def wrap(text: str, columns: int, initial_indent: str = "", subsequent_indent: str = "", cjk: bool = True) -> list[str]:
    """`text` (one paragraph) as lines of at most `columns` display columns, indents included: broken at
    spaces and (unless `cjk` is false) between Chinese characters, never before closing or after opening
    punctuation; a word too long for a line is cut."""
    lines: list[str] = []
    line, used = initial_indent, width(initial_indent)
    fresh = True  # nothing but the indent on this line yet
    for piece in _pieces(" ".join(text.split()), cjk):
        w = width(piece)
        if piece.isspace():
            if not fresh:
                line, used = line + piece, used + w
            continue
        if used + w > columns and not fresh:
            lines.append(line.rstrip())
            line, used, fresh = subsequent_indent, width(subsequent_indent), True
        while used + w > columns and fresh and len(piece) > 1:  # longer than a whole line: cut it
            k = len(piece)
            while k > 1 and used + width(piece[:k]) > columns:
                k -= 1
            lines.append(line + piece[:k])
            piece = piece[k:]
            w = width(piece)
            line, used = subsequent_indent, width(subsequent_indent)
        line, used, fresh = line + piece, used + w, False
    if not fresh or not lines:
        lines.append(line.rstrip())
    return lines


def paragraphs(text: str) -> list[tuple[int, bool, str]]:
    """`text` as click reads a help text: paragraphs parted by blank lines, each with its indent and whether it
    is kept as written (a paragraph whose first line is a lone "\\b"); the lines of a paragraph are joined
    with a space, or with nothing between two Chinese characters."""
    out: list[tuple[int, bool, str]] = []
    for block in text.split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        indent = len(lines[0]) - len(lines[0].lstrip())
        if lines[0].strip() == "\b":
            out.append((indent, True, "\n".join(lines[1:])))
            continue
        joined = lines[0].strip()
        for ln in lines[1:]:
            ln = ln.strip()
            joined += ("" if _wide(joined[-1]) and _wide(ln[0]) else " ") + ln
        out.append((indent, False, joined))
    return out
