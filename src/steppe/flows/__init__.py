"""Migration flows estimated from bilateral stock tables: pure functions on numpy arrays.

The estimators of the R package migest (Abel 2013; Abel & Sander 2014; Abel 2018;
Abel & Cohen 2019), reproduced to its last digits with ``tolerance="migest"``, and a
closed demographic account with uncertainty in the spirit of Azose & Raftery (2019).
"""

from steppe.flows.cm import CmFit, cm2, cm3
from steppe.flows.demographic import demographic_accounting
from steppe.flows.differencing import stock_differencing
from steppe.flows.ipf import IpfFit, ipf2, ipf3, ipf3_qi
from steppe.flows.ipfp import IpfDiagnostics
from steppe.flows.rates import migration_rates
from steppe.flows.result import FlowEstimate
from steppe.flows.uncertainty import UncertainFlows, flows_with_uncertainty

__all__ = [
    "CmFit",
    "FlowEstimate",
    "IpfDiagnostics",
    "IpfFit",
    "UncertainFlows",
    "cm2",
    "cm3",
    "demographic_accounting",
    "flows_with_uncertainty",
    "ipf2",
    "ipf3",
    "ipf3_qi",
    "migration_rates",
    "stock_differencing",
]
