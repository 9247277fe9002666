"""Resource prices are read per unit of the resource, in any unit, and converted to the scenario's."""

from __future__ import annotations

import pytest

import landopt
from landopt.errors import InputError
from support import SCENARIOS

PUJIANG = SCENARIOS / "pujiang_2021_2025.yaml"


def test_pujiang_prices_are_in_scenario_units():
    res = landopt.load(PUJIANG).spec.resources  # money 万元, energy 万tce, mass t, area 亩
    assert res["land"].price == pytest.approx(9.6)  # 9.6 万元/亩
    assert res["energy"].price == pytest.approx(3000.0)  # 3,000 元/tce = 0.3 万元/tce = 3,000 万元/万tce
    assert res["nh3n"].price == pytest.approx(3.32)  # 33,200 元/t = 3.32 万元/t


@pytest.mark.parametrize("price", ["0.3 万元/tce", "3000 元/tce", "3000 万元/万tce", 3000])
def test_one_price_in_every_unit(tmp_path, price):
    f = tmp_path / "p.yaml"
    f.write_text(f"extends: {PUJIANG.as_posix()}\nresources:\n  energy: {{price: {price!r}}}\n", encoding="utf-8")
    assert landopt.load(f).spec.resources["energy"].price == pytest.approx(3000.0)


def test_a_price_without_the_resource_unit_is_refused(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(f"extends: {PUJIANG.as_posix()}\nresources:\n  energy: {{price: '3000 元'}}\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        landopt.load(f)
    assert [i.code for i in e.value.issues] == ["wrong_dimension"]
    assert "resources.energy.price" in e.value.issues[0].format()
