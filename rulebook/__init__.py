"""The regulation as code: 镇雄县纪检监察干部工作责任追究办法(试行).

Plain Python, no Django: data tables (tables/), literate rules (rules/), the
tables compiled once per version (compiled.py), the holiday calendar
(calendar.py) and the engine (engine.py). Read it beside the regulation's text
(regulation.py).
"""

from rulebook import regulation
from rulebook.calendar import HolidayCalendar, YearSchedule
from rulebook.engine import assess, assess_dict, assess_many, facts_from_dict
from rulebook.errors import RulebookError
from rulebook.model import Assessment, Facts, Restriction
from rulebook.versions import Rulebook, RulebookVersion, load

__all__ = [
    "Assessment",
    "Facts",
    "HolidayCalendar",
    "Restriction",
    "Rulebook",
    "RulebookError",
    "RulebookVersion",
    "YearSchedule",
    "assess",
    "assess_dict",
    "assess_many",
    "facts_from_dict",
    "load",
    "regulation",
]
