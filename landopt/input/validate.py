"""Schema validation: pydantic errors turned into located, readable issues."""

from __future__ import annotations

import copy
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from landopt.errors import Issue, Mark
from landopt.i18n.messages import closest, translate
from landopt.i18n.text import Bi
from landopt.input.schema import EXPECTED_BY_TYPE, ScenarioFile

_LITERAL_CODES = {
    "kind": "unknown_rule_kind",
    "role": "bad_role",
    "accounting": "bad_accounting",
    "version": "bad_version",
}
_LITERAL_CHOICES = {
    "kind": ["cap", "floor", "share", "intensity"],
    "role": ["main", "sub", "linked", "outside"],
}
SYNONYMS = {
    # words a planner may write for a choice that is not spelt like it (lower case): did-you-mean offers the choice
    "kind": {
        "ceiling": "cap", "max": "cap", "maximum": "cap", "limit": "cap", "upper": "cap", "ban": "cap",
        "上限": "cap", "限额": "cap", "min": "floor", "minimum": "floor", "lower": "floor",
        "下限": "floor", "ratio": "share", "proportion": "share", "percent": "share", "percentage": "share",
        "fraction": "share", "tilt": "share", "比例": "share", "占比": "share", "倾斜": "share",
        "per_mu": "intensity", "per-mu": "intensity", "density": "intensity", "yield": "intensity",
        "亩均": "intensity", "强度": "intensity",
    },
    "role": {
        "core": "main", "primary": "main", "main_platform": "main", "platform": "main", "主平台": "main",
        "核心区": "main", "sub-area": "sub", "subarea": "sub", "secondary": "sub", "分区": "sub",
        "片区": "sub", "related": "linked", "link": "linked", "关联": "linked", "关联区": "linked",
        "other": "outside", "rest": "outside", "county": "outside", "其他": "outside", "县域": "outside",
    },
}
_EXPECTED_BY_PYDANTIC = {
    # pydantic's error types whose own message is English: what was expected, in landopt's words
    "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
    "list_type": "a list", "bool_type": "true or false", "bool_parsing": "true or false",
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "float_type": "a number", "float_parsing": "a number",
}


def validate(data: dict, marks: dict[tuple, tuple[Mark, Mark | None]]) -> tuple[ScenarioFile | None, list[Issue]]:
    """Validate plain data against the schema; return (model, issues)."""
    try:
        return ScenarioFile.model_validate(data), []
    except ValidationError as e:
        return None, errors_to_issues(e, data, marks)


_ID_MAPS = {"areas": "area", "sectors": "sector", "resources": "resource", "metrics": "metric"}
"""Top-level mappings keyed by ids (a null under them deletes an id)."""


def null_key_issues(data: dict, nulls: list[tuple[tuple, Mark | None]]) -> list[Issue]:
    """Unknown keys and rule ids among the `null` values that deleted nothing.

    A null deletes a key, so the loader drops it before validation; without this check a
    misspelt key with an empty value (or a flow-mapping fragment such as ``E): null`` left
    by an unquoted comma) would vanish silently. Each such key is put back with a
    placeholder value and the schema asked whether it knows the key.
    """
    if not nulls:
        return []
    probe = copy.deepcopy(data)
    placed: dict[tuple, Mark | None] = {}
    issues: list[Issue] = []
    for path, mark in nulls:
        node: Any = probe
        for k in path[:-1]:
            if isinstance(node, dict):
                node = node.get(k)
            elif isinstance(node, list) and isinstance(k, int) and 0 <= k < len(node):
                node = node[k]
            else:
                node = None
        last = path[-1]
        if len(path) == 2 and path[0] in _ID_MAPS and isinstance(node, dict) and last not in node:
            known = [str(k) for k in node]  # deleting an area, sector, resource or metric that is not there
            issues.append(Issue("unknown_id", {"what": _ID_MAPS[path[0]], "got": last, "known": ", ".join(known)},
                                path=_dotted(path), mark=mark, suggest=closest(str(last), known)))
        elif isinstance(node, dict) and last not in node:
            node[last] = 0
            placed[path] = mark
        elif path[:-1] == ("rules",) and isinstance(node, list) and isinstance(last, str):
            known = [str(r.get("id")) for r in node if isinstance(r, dict)]
            issues.append(Issue("unknown_id", {"what": "rule", "got": last, "known": ", ".join(known)},
                                path=_dotted(path), mark=mark, suggest=closest(last, known)))
    if placed:
        unknown: set[tuple] = set()
        try:
            ScenarioFile.model_validate(probe)
        except ValidationError as e:
            for err in e.errors():
                p = _data_path(probe, err["loc"])
                if err["type"] == "extra_forbidden" and p in placed:
                    issue = _issue(err, p, probe, {p: (placed[p], placed[p])}, ScenarioFile, p)
                    issue.code = "unknown_key_empty"
                    issue.loc = p
                    issues.append(issue)
                    unknown.add(p)
        for p, mark in placed.items():  # a known key written with no value: say what leaving it unset means
            if p not in unknown and p[-1] not in _FREE_TEXT and not re.search(r"[:：]\S", str(p[-1])):
                issues.append(Issue("empty_value", {"key": str(p[-1]), "meaning": _UNSET.get(str(p[-1]), Bi("", ""))},
                                    path=_dotted(p), mark=mark, severity="warning", loc=p))
    return issues


_FREE_TEXT = frozenset({"name", "name_en", "description", "note", "source", "region", "data_year"})
_UNSET = {
    # what leaving a key unset means, where it changes the plan
    "capacity": Bi(": the area's new land has no upper limit", ": 该片区新增用地不设上限"),
    "max_land": Bi(": no upper limit", ": 不设上限"), "max": Bi(": no upper limit", ": 不设上限"),
    "min_land": Bi(": no lower limit", ": 不设下限"), "min": Bi(": no lower limit", ": 不设下限"),
    "sectors": Bi(": every sector is allowed here", ": 此处允许全部行业"),
    "where": Bi(": the whole zone is selected", ": 选中全部范围"),
    "include_existing": Bi(": stock does not count", ": 不计存量"),
}


def errors_to_issues(e: ValidationError, data: Any, marks: dict[tuple, tuple[Mark, Mark | None]],
                     prefix: tuple = (), root_model: type[BaseModel] = ScenarioFile) -> list[Issue]:
    """One issue per offending path; union alternatives collapse to the most specific error."""
    found: dict[tuple, dict] = {}
    for err in e.errors():
        found.setdefault(_data_path(data, err["loc"]), err)
    # drop errors on a path that has a more specific error below it (union alternatives); linear in the
    # number of errors (a flood of 100,000 misspelt keys must not take minutes)
    above = {q[:i] for q in found for i in range(len(q))}
    keep = [p for p in found if p not in above]
    issues = []
    for n, p in enumerate(keep):
        issue = _issue(found[p], prefix + p, data, marks, root_model, p, suggest=n < SUGGEST_LIMIT)
        issue.loc = prefix + p
        issues.append(issue)
    return issues


SUGGEST_LIMIT = 1000
"""Problems that get a did-you-mean; past them (a flood of misspelt keys) only the message is built."""


def merge_misspelt(issues: list[Issue]) -> list[Issue]:
    """One message for one problem: a misspelt required key (`rol:` for `role:`).

    An unknown key whose did-you-mean names a required key missing from the same mapping is
    reported once, as `misspelt_required_key` at the misspelt key, instead of both an unknown
    key and a missing key.
    """
    missing = {i.loc: i for i in issues if i.code == "missing_key" and i.loc}
    if not missing:
        return issues
    merged: dict[int, Issue] = {}
    used: set[tuple] = set()
    for n, i in enumerate(issues):
        if i.code not in ("unknown_key", "unknown_key_empty") or not i.loc:
            continue
        want = i.suggest
        target = i.loc[:-1] + (want,)
        if want is None or target not in missing or target in used:
            continue
        used.add(target)
        merged[n] = Issue("misspelt_required_key", {
            "key": i.params.get("key", i.loc[-1]), "required": want, "allowed": i.params.get("allowed", ""),
            "expected": missing[target].params.get("expected", "")},
            path=i.path, mark=i.mark, file=i.file, loc=i.loc, suggest=want)
    return [merged.get(n, i) for n, i in enumerate(issues)
            if not (i.code == "missing_key" and i.loc in used)]


def renames(issues: list[Issue]) -> dict[tuple, tuple]:
    """{misspelt key path: the required key's path} for every `misspelt_required_key` issue."""
    return {i.loc: i.loc[:-1] + (i.params["required"],) for i in issues if i.code == "misspelt_required_key"}


STAND_INS = {"role": ("main", "sub", "linked", "outside"), "kind": ("cap", "floor", "share", "intensity")}
"""Required keys with a few allowed values: when one is missing or wrong, `repaired` puts in the
value the message suggests (or the first allowed one) so that the rest of the item is still checked."""


KIND_DEPENDENT = frozenset({"rule_key_not_for_kind", "rule_bound_missing", "rule_bound_wrong", "share_range",
                            "min_above_max"})
"""Problems of a rule that depend on its kind: not reported for a rule whose kind had to be guessed."""


def repaired(data: Any, issues: list[Issue], guessed: list[tuple] | None = None) -> Any | None:
    """A copy of `data` with every offending key removed, so later checks can still run.

    A misspelt required key (`misspelt_required_key`) is renamed to the required key instead, so
    its value is still checked. A missing or wrong `role` or `kind` gets a stand-in (`STAND_INS`);
    the locations of stand-ins that are guesses, not suggestions, go to `guessed`, so that a caller
    can drop what follows from them. Returns None when an issue cannot be repaired that way (another
    required key is missing).
    """
    if any(i.code == "missing_key" and i.loc[-1:] not in [(k,) for k in STAND_INS] for i in issues):
        return None
    out = copy.deepcopy(data)
    for i in sorted(issues, key=lambda i: len(i.loc), reverse=True):
        if not i.loc:
            return None
        node = out
        for k in i.loc[:-1]:
            try:
                node = node[k]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        key = i.loc[-1]
        if isinstance(node, dict) and i.code == "misspelt_required_key" and key in node:
            node[i.params["required"]] = node.pop(key)
        elif isinstance(node, dict) and key in STAND_INS:
            choice = i.suggest if i.suggest in STAND_INS[key] else None
            node[key] = choice or STAND_INS[key][0]
            if choice is None and guessed is not None:
                guessed.append(i.loc)
        elif isinstance(node, dict):
            node.pop(i.loc[-1], None)
        elif isinstance(node, list) and isinstance(i.loc[-1], int) and i.loc[-1] < len(node):
            return None  # removing a list item would shift the positions of the others
        else:
            return None
    return out


def _data_path(data: Any, loc: tuple) -> tuple:
    """Follow `loc` through the data, skipping union-member tags that are not real keys."""
    out: list = []
    node = data
    for k in loc:
        if isinstance(node, dict) and k in node:
            out.append(k)
            node = node[k]
        elif isinstance(node, dict) and isinstance(k, str) and k.isdigit() and int(k) in node:
            out.append(int(k))
            node = node[int(k)]
        elif isinstance(node, list) and isinstance(k, int) and 0 <= k < len(node):
            out.append(k)
            node = node[k]
        elif isinstance(node, dict) and not isinstance(k, int) and not _looks_like_tag(k):
            out.append(k)  # a missing or extra key
            node = None
        # otherwise: a union-member tag such as 'StageSpec' or 'function-plain[_qty()]'
    return tuple(out)


def _looks_like_tag(k: Any) -> bool:
    s = str(k)
    return any(c in s for c in "[](") or s[:1].isupper()


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


def _locate(path: tuple, marks: dict, key: bool) -> Mark | None:
    p = path
    while True:
        if p in marks:
            vm, km = marks[p]
            return (km or vm) if key else vm
        if not p:
            return None
        p = p[:-1]


def _issue(err: dict, path: tuple, data: Any, marks: dict, root_model: type[BaseModel], rel: tuple,
           suggest: bool = True) -> Issue:
    etype = err["type"]
    field_name = str(path[-1]) if path else ""
    info, parent = field_at(root_model, rel)
    expected = (info.description if info is not None and info.description else "") or \
        EXPECTED_BY_TYPE.get(etype) or _EXPECTED_BY_PYDANTIC.get(etype) or err.get("msg", "")
    got = _describe(err.get("input"))
    if etype == "extra_forbidden":
        allowed = _allowed_keys(parent)
        return Issue("unknown_key", {"key": field_name, "allowed": ", ".join(allowed)},
                     path=_dotted(path), mark=_locate(path, marks, key=True),
                     suggest=closest(field_name, allowed) if suggest else None)
    if etype == "missing":
        return Issue("missing_key", {"key": field_name, "expected": expected},
                     path=_dotted(path), mark=_locate(path[:-1], marks, key=True))
    if etype == "literal_error" and field_name in _LITERAL_CODES:
        choices = _LITERAL_CHOICES.get(field_name, [])
        return Issue(_LITERAL_CODES[field_name], {"got": err.get("input")},
                     path=_dotted(path), mark=_locate(path, marks, key=False),
                     suggest=closest(str(err.get("input")), choices, SYNONYMS.get(field_name)))
    if etype == "literal_error" and field_name == "status":
        return Issue("expect_bad_status", {"got": err.get("input")}, path=_dotted(path),
                     mark=_locate(path, marks, key=False))
    return Issue("wrong_type", {"got": got, "expected": expected}, path=_dotted(path),
                 mark=_locate(path, marks, key=False))


def _describe(v: Any) -> str | Bi:
    if isinstance(v, dict):
        return Bi("a mapping", translate("a mapping"))
    if isinstance(v, list):
        return Bi("a list", translate("a list"))
    if v is None:
        return Bi("an empty value", translate("an empty value"))
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def _allowed_keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _models_in(annotation: Any) -> list[Any]:
    """Unwrap Optional/Union/Annotated/list/dict to the types inside."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for a in typing.get_args(annotation):
            out.extend(_models_in(a))
        return out
    return [annotation]


def field_at(model: type[BaseModel], path: tuple) -> tuple[Any, type[BaseModel] | None]:
    """(FieldInfo of the last key, the model that owns it) for a data path, or (None, None)."""
    candidates: list[Any] = [model]
    info = None
    parent: type[BaseModel] | None = None
    for k in path:
        nxt: list[Any] = []
        for c in candidates:
            if isinstance(c, type) and issubclass(c, BaseModel):
                if isinstance(k, str) and k in c.model_fields:
                    info, parent = c.model_fields[k], c
                    nxt.extend(_models_in(c.model_fields[k].annotation))
                elif isinstance(k, str):
                    parent = c
                    info = None
            else:
                origin = typing.get_origin(c)
                if origin is list and isinstance(k, int):
                    nxt.extend(_models_in(typing.get_args(c)[0]))
                elif origin is dict:
                    nxt.extend(_models_in(typing.get_args(c)[1]))
        candidates = nxt
    return info, parent
