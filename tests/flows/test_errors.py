"""Bad input gives a clear error naming the argument and what is accepted."""

from __future__ import annotations

import numpy as np
import pytest

from steppe.errors import InvalidOptionError
from steppe.flows import (
    cm2,
    demographic_accounting,
    ipf2,
    ipf3,
    migration_rates,
    stock_differencing,
)

S0 = np.array([[1000, 55, 80, 20], [10, 500, 140, 10], [10, 40, 800, 2], [0, 15, 20, 600]], float)
S1 = np.array([[950, 80, 90, 40], [80, 530, 95, 15], [90, 35, 900, 6], [40, 10, 40, 590]], float)
B = np.array([80.0, 20, 40, 60])
D = np.array([30.0, 10, 40, 10])


def test_non_square_stock() -> None:
    with pytest.raises(ValueError, match="stock_start must be square"):
        demographic_accounting(S0[:, :3], S1, B, D)


def test_mismatched_stocks() -> None:
    with pytest.raises(ValueError, match="stock_start has shape \\(4, 4\\) but stock_end has shape \\(3, 3\\)"):
        demographic_accounting(S0, S1[:3, :3], B, D)


def test_births_wrong_length() -> None:
    with pytest.raises(ValueError, match="births has 3 entries but the stock tables have 4 regions"):
        demographic_accounting(S0, S1, B[:3], D)


def test_negative_stock_off_diagonal() -> None:
    bad = S0.copy()
    bad[1, 0] = -5
    with pytest.raises(ValueError, match="stock_start has 1 negative value.*index \\(1, 0\\)"):
        demographic_accounting(bad, S1, B, D)


def test_negative_births() -> None:
    with pytest.raises(ValueError, match="births has 1 negative value"):
        demographic_accounting(S0, S1, -B * (np.arange(4) == 2) + B * (np.arange(4) != 2), D)


def test_nan() -> None:
    bad = S1.copy()
    bad[2, 3] = np.nan
    with pytest.raises(ValueError, match="stock_end contains 1 missing or infinite value.*\\(2, 3\\)"):
        demographic_accounting(S0, bad, B, D)


def test_population_below_zero_cannot_be_balanced() -> None:
    bad = S0.copy()
    bad[3, 3] = -2000
    with pytest.raises(ValueError, match="stock_start: column 3 has a negative total"):
        demographic_accounting(bad, S1, B, D)


def test_unbalanced_totals_without_global_match_are_refused() -> None:
    with pytest.raises(ValueError, match="different totals.*match_global"):
        demographic_accounting(S0, S1, B, D, match_global="none")


@pytest.mark.parametrize(
    ("option", "value", "accepted"),
    [
        ("match_global", "after", "'before-demo-adjust', 'after-demo-adjust', 'none'"),
        ("birth_method", "proportional", "'native', 'proportion'"),
        ("death_method", "prop", "'proportion', 'accounting'"),
        ("match_birthplace_tot_method", "rescale-adjust-zero-fb", "refused"),
        ("match_birthplace_tot_method", "closed", "'rescale', 'open' or 'open-dr'"),
        ("tolerance", "tight", "'migest' or a positive float"),
        ("tolerance", -1.0, "'migest' or a positive float"),
    ],
)
def test_unknown_option(option: str, value: object, accepted: str) -> None:
    with pytest.raises(InvalidOptionError, match=f"{option}={value!r} is not accepted") as err:
        demographic_accounting(S0, S1, B, D, **{option: value})
    assert accepted in str(err.value)
    assert err.value.name == option


def test_accounting_deaths_that_cannot_balance() -> None:
    with pytest.raises(ValueError, match="death_method='accounting' implies .* deaths of people born in region"):
        demographic_accounting(S0, S1 * 3, B, D, death_method="accounting", match_global="none")


def test_ipf_and_cm_errors() -> None:
    with pytest.raises(ValueError, match="row_tot sums to 38 but col_tot to 40"):
        ipf2([18, 20], [16, 24])
    with pytest.raises(ValueError, match="row_tot sums to 38 but col_tot to 40"):
        cm2([18, 20], [16, 24])
    with pytest.raises(ValueError, match="birthplace totals differ"):
        ipf3(S0.T, S1)
    with pytest.raises(InvalidOptionError, match="tol=0 is not accepted"):
        ipf2([18, 20], [16, 22], tol=0)


def test_differencing_and_rates_options() -> None:
    with pytest.raises(InvalidOptionError, match="decrease='drop' is not accepted; expected 'return', 'zero'"):
        stock_differencing(S0, S1, decrease="drop")
    with pytest.raises(InvalidOptionError, match="method='dennet' is not accepted"):
        migration_rates(S0, method="dennett"[:-1])
    with pytest.raises(InvalidOptionError, match="flow_total=None"):
        migration_rates(S0)
    with pytest.raises(InvalidOptionError, match="stock_end=None"):
        migration_rates(S0, method="rogers-von-rabenau")
