"""Greek on a 24-hour clock, as Greek shops and their staff write the time (Django's own "el" uses
"P", a 12-hour clock with π.μ./μ.μ.). Pages format moments through Babel (core.formats); this keeps
any `|date:"DATETIME_FORMAT"` on a 24-hour clock too."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
