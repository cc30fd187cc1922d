"""Risk comes first: when the safety steps are needed, and what they are for this client.

The domain brief (step 2): a client with a risk flag, or a therapist who mentions
hopelessness, self-harm or crisis, gets the safety steps before anything administrative. This
module decides that (`needs_safety_first`) and writes the steps from the record
(`safety_steps`). It is decision support, not a risk assessment: it reads words and flags, it
never rates risk and never diagnoses.

Detection is deliberately on the cautious side: risk heard in indirect words too (farewell
letters, means at hand, giving things away). A screen the clinician reports as negative
("denies SI", "no safety concerns") does not force the gate, unless doubt follows it ("denies
SI but I'm not sure"); the record's own flags still do. Plain words that only sound related
("safety plan reviewed last month", "financial crisis", "at risk of losing his job") do not
count. The phrases live in one reviewed place, RISK_WORDS and MORE_RISK_WORDS (words of risk)
beside NOT_RISK (idioms and ordinary reasons that only sound like it): a clinician must review
them. A negative screen, history the words say is over, or an idiom that explains the whole
message sets the language model's reading aside too (speaks_of_risk).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, List, Mapping, Optional, Protocol, Sequence, Tuple

from reconnect.guidance.attendance import AttendanceSummary
from reconnect.guidance.client import ClientLike
from reconnect.guidance.contacts import ClinicContacts
from reconnect.guidance.evidence import WHY_SAFETY_MATTERS
from reconnect.guidance.wording import ago, day, plural

# Risk levels as the record holds them. Any level above "none" is a risk history.
ELEVATED_LEVELS = ("elevated", "high")
RISK_HISTORY_LEVELS = ("low", "elevated", "high")
# A client with a risk history absent this long gets the safety steps (3 weeks).
ABSENCE_DAYS = 21
# The intent of a therapist reporting a safety worry, and the probability of it, ranked
# anywhere by the language model, at which a message brings the safety steps even when no
# word of RISK_WORDS is in it (README, "Safety first": chosen on held-out folds of the
# training data, not on the frozen risk set; lowered from 0.2 to 0.1 for recall, see README).
RISK_INTENT = "report_risk_concern"
MODEL_THRESHOLD = 0.1


@dataclass(frozen=True)
class SafetyRule:
    """When the record alone puts safety first (clinic.yml `safety_first`): a risk level in
    `levels`, or any risk history with `absence_days` or more since the last attended
    session. The defaults are the brief's step 2 as this project reads it."""

    levels: Tuple[str, ...] = ELEVATED_LEVELS
    absence_days: int = ABSENCE_DAYS
    # The language model's probability of a risk concern at which a message with no words of
    # risk still brings the safety steps first (see speaks_of_risk); 0 turns this off.
    model_threshold: float = MODEL_THRESHOLD


DEFAULT_RULE = SafetyRule()

_I = re.IGNORECASE
_SELF_WORDS = "himself|herself|themselves|themself|myself|yourself"
_SELF = f"(?:{_SELF_WORDS})"

# (what the words speak of, pattern). Word boundaries throughout; case-insensitive except the
# clinical abbreviations, which are matched in capitals only so that "si" or "hi" do not count.
RISK_WORDS: Tuple[Tuple[str, re.Pattern], ...] = (
    ("hopelessness", re.compile(r"\bhopeless\w*|\bno hope\b|\blost (?:all )?hope\b", _I)),
    ("suicide", re.compile(r"\bsuicid\w*", _I)),
    ("suicidal ideation", re.compile(r"\bideation\b|\bdeath wish\b", _I)),
    ("suicidal ideation (SI)", re.compile(r"\bS/?I\b")),
    ("self-harm", re.compile(r"\bself[- ]?harm\w*|\bself[- ]?injur\w*|\bNSSI\b"
                             r"|\bcut(?:s|ting)? (?:" + _SELF_WORDS + r"|again)\b", _I)),
    ("wanting to die", re.compile(
        r"\b(?:wants?|wanted|wanting|wish(?:es|ed)?) to (?:die|be dead|not be here|disappear)\b"
        r"|\bbetter off dead\b|\b(?:doesn'?t|does not|don'?t|didn'?t) want to (?:live|be alive"
        r"|be here any ?more)\b|\b(?:no reason|nothing(?: left)?|no one|nobody) to live"
        r" for\b|\bno reason to live\b|\bwants? it all to (?:stop|end)\b"
        r"|\b(?:talk(?:s|ed|ing)?|spok(?:e|en)|speak(?:s|ing)?|thinking|thought) (?:about|of) "
        r"(?:ending it|ending (?:his|her|their) life|not (?:wanting to )?be(?:ing)? (?:here|around)"
        r"|dying|killing " + _SELF + r"|being better off dead)\b"
        r"|\b(?:not|n'?t) (?:want(?:ing)? to )?be(?:ing)? (?:here|around) any ?more\b"
        r"|\bend (?:it all|(?:his|her|their|"
        r"my) (?:own )?life)\b|\bkill(?:s|ing|ed)? " + _SELF + r"|\btak(?:e|es|ing) (?:his|her|"
        r"their|my) (?:own )?life\b", _I)),
    ("hurting self or others", re.compile(
        r"\b(?:hurt|harm)(?:s|ing|ed)? (?:" + _SELF_WORDS + r"|someone|somebody|others|anyone)\b",
        _I)),
    ("harm to others", re.compile(r"\bhomicid\w*|\bHI\b")),
    ("overdose", re.compile(r"\boverdos\w*|\bOD(?:'?d|ed)?\b")),
    ("crisis", re.compile(r"(?<!financial )(?<!money )(?<!cash )(?<!budget )(?<!midlife )"
                          r"(?<!mid-life )(?<!scheduling )\bcris[ie]s\b"
                          r"(?!\s+(?:lines?|numbers?|resources?|services?|team|info\w*))", _I)),
    ("safety concerns", re.compile(
        r"\bsafety (?:concerns?|issues?|risks?|worr(?:y|ies))\b|\b(?:concern(?:ed|s)?|worr(?:y|"
        r"ied|ies)|scared|afraid) (?:about|for) (?:his|her|their|the client'?s?) (?:safety|life)\b"
        r"|\bnot safe\b|\bunsafe\b|\bwelfare check\b"
        r"|\bat risk\b(?!\s+of\s+(?!harm|self|suicid|hurt|dying|death|overdos))", _I)),
    ("violence or abuse at home", re.compile(r"\bdomestic (?:violence|abuse)\b|\bbeing abused\b"
                                             r"|\babusive (?:partner|husband|wife|boyfriend"
                                             r"|girlfriend)\b", _I)),
    # The published warning signs, in the indirect words people use for them.
    ("feeling a burden", re.compile(
        r"\b(?:a |such a |just a )?burden (?:to|on|for) (?:every(?:one|body)|others|people|them"
        r"|(?:his|her|their|my) \w+)|\bbetter off without (?:her|him|them|me)\b"
        r"|\b(?:every(?:one|body)|they|(?:his|her|their) \w+) (?:would|'d) be better off\b", _I)),
    ("no reason to live", re.compile(
        r"\bno (?:reason|point) (?:in |to )?(?:living|live|go(?:ing)? on|keep(?:ing)? going|be(?:ing)?"
        r" here)\b|\bwhat'?s the point (?:of|in) (?:living|going on|anything|it all)\b"
        r"|\bno point (?:in )?any ?more\b|\bno point (?:to|in) (?:any of it|anything|it all)\b|\b(?:can'?t|cannot|couldn'?t) (?:go on|keep going|do this"
        r" any ?more|take (?:it|this) any ?more)\b|\bno future\b|\bno way out\b"
        r"|\b(?:giv(?:e|es|ing|en)|gave) up on (?:everything|life|living|it all)\b", _I)),
    ("a wish to be dead", re.compile(
        r"\b(?:wish(?:es|ed)?|hop(?:e|es|ed|ing)|pray(?:s|ed|ing)?) (?:that )?(?:she|he|they|i)"
        r"(?: would|'d)? (?:not|never|doesn'?t|don'?t|won'?t|wouldn'?t) wake up\b"
        r"|\b(?:wish(?:es|ed)?|hop(?:e|es|ed|ing)) (?:she|he|they|i) (?:was|were|'d be) dead\b"
        r"|\bsleep forever\b|\bnot wak(?:e|ing) up\b|\bdisappear (?:for ?ever|for good)\b"
        # "not wanting to wake up some mornings"; never "doesn't want to wake up early"
        r"|\b(?:not|doesn'?t|does not|didn'?t|did not|don'?t|do not) want(?:s|ed|ing)? to wake"
        r" up\b(?! (?:early|earlier|for|at|in time|before|so|that early|on time|to|and go)\b)"
        r"|\b(?:doesn'?t|don'?t|wouldn'?t) (?:care|mind) if (?:she|he|they|i) (?:die[sd]?|live[sd]?"
        r"|crash(?:es|ed)?|got hit|gets hit|didn'?t wake|don'?t wake|doesn'?t wake)\b"
        r"|\bunalive\w*|\bkms\b|\bkys\b|\bend (?:it|things) (?:all|for good|tonight|soon)\b"
        r"|\b(?:ending|end) (?:it|things)\b(?! with)", _I)),
    ("goodbyes and farewell letters", re.compile(
        r"\b(?:goodbye|good-bye|farewell|suicide) (?:letters?|notes?|messages?|texts?|e-?mails?"
        r"|videos?|posts?)\b|\b(?:wrote|writing|written|left|leaving) (?:a )?(?:letters?|notes?)"
        r" (?:to|for) (?:(?:his|her|their|my) )?\w+ (?:just )?in case\b|\bjust in case (?:something|"
        r"anything) happens\b|\bin case (?:she|he|they|i)(?:'?s|'?re|'?m| is| are| am)? not (?:here|"
        r"around)\b|\bsa(?:y|ys|id|ying) (?:(?:her|his|their) )?goodbyes?\b(?! to (?:\w+ )?(?:old |"
        r"former )?(?:job|house|home|apartment|flat|office|team|colleagues|coworkers|co-workers|"
        r"school|city|town|country))", _I)),
    ("giving things away", re.compile(
        r"\b(?:giv(?:e|es|ing|en)|gave) away (?:(?:all |most of )?(?:his|her|their|my) )?(?:things|"
        r"stuff|belongings|possessions|pets?|dog|cat|guitar|clothes|books|jewel\w*|records|car|"
        r"collection|games|art)\b|\b(?:giv(?:e|es|ing|en)|gave) (?:his|her|their) (?:\w+ )?(?:dog|cat|"
        r"pets?|guitar|things|stuff|belongings) (?:away|to)\b", _I)),
    ("means at hand", re.compile(
        r"\bstockpil\w+|\b(?:sav|hoard|collect|stash)(?:e|es|ed|ing)? (?:up )?(?:(?:his|her|their)"
        r" )?(?:pills|meds|medications?|tablets|sleeping pills|painkillers)\b"
        r"|\b(?:bought|buying|buys|got|getting|purchased|acquired|picked up|has|keeps?|kept) (?:a |"
        r"another |his |her |their )?(?:loaded )?(?:gun|firearm|rifle|shotgun|handgun|pistol|"
        r"revolver)\b|\bloaded (?:gun|weapon|firearm|pistol)\b|\b(?:bought|got|has|keeps) (?:a |some )?"
        r"(?:rope|noose|razor blades?|blades)\b|\bnoose\b|\b(?:pills|meds|tablets) (?:saved|"
        r"stashed|hidden|collected)\b", _I)),
    ("researching a method", re.compile(
        r"\b(?:research|look|search|googl|read)(?:ed|ing|s)? (?:up |about |into |online for )?"
        r"(?:how (?:to|many|much)|ways to (?:die|end|kill|do it)|lethal|overdos\w*|methods?|the dose)\b"
        r"(?![^.]{0,40}\b(?:job|course|recipe|train|bus|apartment)\b)|\blethal dose\b"
        r"|\bhow many (?:pills|tablets) (?:it takes|would|to)\b", _I)),
    ("rehearsal", re.compile(
        r"\brehears(?:e|ed|es|ing|al)\b(?! (?:for|of) (?:the |a |her |his )?(?:play|show|concert|"
        r"wedding|interview|talk|presentation|band|choir))|\bdry run\b"
        r"|\b(?:stood|standing|stands|sat|sitting|sits|went|go(?:es)?) (?:up )?(?:on|at|to) (?:the |"
        r"a )?(?:edge|ledge|bridge|roof(?:top)?|tracks|cliff)\b|\b(?:held|holding|holds|put|putting)"
        r" (?:the |a )?(?:gun|knife|blade|rope|noose|belt|pills) (?:to|against|around|in)\b", _I)),
    ("car running in a closed garage", re.compile(
        r"\b(?:car|engine|motor) (?:was |is )?running in (?:the |a )?(?:closed |shut )?garage\b"
        r"|\b(?:sitting|sat|sits) in (?:the |a |her |his )?(?:car|garage) with (?:the )?(?:engine|car|"
        r"motor) (?:running|on)\b|\bexhaust (?:fumes|hose|pipe)\b|\bcarbon monoxide\b", _I)),
    ("a recent attempt", re.compile(
        r"\b(?:attempt(?:ed|s)?|tried) (?:suicide|to (?:kill|end|hang|take|overdose|cut|jump))\b"
        r"|\bsuicide attempt|\bSA\b(?! ?=)|\btook (?:a (?:whole )?(?:bunch|handful|bottle) of |all (?:of )?"
        r"(?:her|his|their) |too many |a lot of )(?:pills|tablets|meds|sleeping pills|painkillers|"
        r"tylenol)\b|\bpumped (?:her|his|their) stomach\b|\bslit (?:her|his|their) wrists?\b"
        r"|\b(?:hang|hanged|hung) (?:" + _SELF_WORDS + r")\b|\bjump(?:ed|ing|s)? (?:off|in front of"
        r"|from) (?:the |a )?(?:bridge|roof|building|train|tracks|balcony|cliff|car)\b", _I)),
    ("self-harm", re.compile(
        r"\b(?:cut|cuts|cutting|cuttin'?|burn(?:s|ed|t|ing)?|carv(?:e|es|ed|ing)|scratch(?:es|ed|ing)"
        r"|hit(?:s|ting)?|punch(?:es|ed|ing)?) (?:on )?(?:" + _SELF_WORDS + r")\b|\bSIB\b|\bfresh "
        r"(?:cuts|marks|scars|wounds|burns)\b|\bcigarette burns?\b|\b(?:cuts|marks|burns|scars) "
        r"on (?:her|his|their) (?:arms?|wrists?|legs?|thighs?|stomach)\b", _I)),
    ("command hallucinations", re.compile(
        r"\bvoices? (?:are |is |keep |keeps )?(?:tell(?:ing|s)?|told|command\w*|order\w*|urg\w*) "
        r"(?:her|him|them|me) to\b|\bcommand hallucinat\w*|\bhearing voices\b|\bvoices? (?:that )?"
        r"(?:say|says|said) (?:she|he|they|i) (?:should|must|has to|have to|deserve)", _I)),
    ("threats to others", re.compile(
        r"\b(?:threaten\w*|wants? to|going to|gonna|will|would|plans? to|talk(?:s|ed|ing)? about) "
        r"(?:to )?(?:kill|hurt|shoot|stab|harm|strangle|beat up|attack|get back at|run over) (?:his |"
        r"her |their |my |the )?(?:boss|wife|husband|partner|ex|neighbou?r|co-?worker|coworkers|"
        r"family|kids|children|mother|father|mom|dad|sister|brother|manager|teacher|landlord"
        r"|someone|somebody|people|everyone|them|him|her)\b|\bmake (?:them|him|her) (?:all )?pay\b"
        r"|\b(?:kill|shoot|hurt) (?:them|him|her) (?:all|first)\b|\bshoot up (?:the|his|her)\b"
        r"|\b(?:threaten\w*|wants? to|going to|gonna|plans? to|fantas(?:i[sz]\w*|ies|y) about|talk(?:s|ed|ing)?"
        r" about) (?:to )?(?:kill\w*|shoot\w*|stab\w*|strangl\w*|murder\w*)\b(?! (?:it|time|two|"
        r"the (?:mood|vibe|lights?|engine)|off)\b)|\bmurder(?:-| )suicide\b|\bhomicide(?:-| )suicide\b",
        _I)),
    ("affairs put in order", re.compile(
        r"\b(?:put|putting|puts|getting|got|gets) (?:all )?(?:his|her|their|my) affairs in order\b"
        r"|\bfuneral (?:plans|arrangements|wishes|songs?|playlist)\b|\b(?:wrote|written|writing|"
        r"made|making) (?:a|her|his|their) will\b(?! (?:after|because|since|when|for) (?:the |a |"
        r"her |his |their )?(?:baby|birth|wedding|marriage|house|divorce|lawyer))"
        r"|\bwho (?:gets|should get|would get|will get) (?:her|his|their) (?:things|stuff|dog|cat|"
        r"pets?|car)\b|\blife insurance (?:payout|policy pays|would pay)\b", _I)),
    ("sudden calm after a crisis", re.compile(
        r"\b(?:suddenly|weirdly|strangely|oddly|unusually|eerily|surprisingly) (?:so )?(?:calm|at peace"
        r"|peaceful|serene|relieved|content|upbeat)\b|\bat peace with (?:it|everything|(?:her|his|"
        r"their) decision|dying|death)\b|\b(?:made|has made|'s made) (?:(?:her|his|their) )?"
        r"(?:peace|decision) (?:with|about) (?:it|everything|dying)\b", _I)),
    ("reports from police, hospital or crisis team", re.compile(
        r"\b(?:mobile )?crisis team (?:was |were |got |went |came )?(?:called|sent|out|involved)"
        r"|\b5150\b|\b(?:involuntary|psych(?:iatric)?|72[- ]hour) hold\b|\bsectioned\b"
        r"|\b(?:taken|brought|admitted|rushed) to (?:the )?(?:er|ed|a&e|hospital|emergency|psych"
        r"\w*)\b|\b(?:police|cops) (?:found|picked (?:her|him|them) up|took|brought|did a)\b"
        r"|\b(?:no one|nobody) (?:can|could) reach (?:her|him|them)\b(?=[^.]*(?:worr|scared|"
        r"afraid|days|since))", _I)),
)

# More of the published warning signs, in the words therapists type for them: terse, third
# person, reported by relatives, clinical shorthand. Part of the same reviewed list as
# RISK_WORDS above (risk_mentions reads both): a clinician must review every phrase here too.
_PILLS = (r"(?:pills|meds|medications?|tablets|sleeping (?:pills|tablets)|painkillers|paracetamol"
          r"|codeine|tylenol|insulin|opioids|oxy\w*)")
_PERSON = r"(?:him|her|them|me)"
_THEIR = r"(?:his|her|their|my)"
MORE_RISK_WORDS: Tuple[Tuple[str, re.Pattern], ...] = (
    ("feeling a burden", re.compile(
        r"\b(?:a |just a )?drain on (?:every(?:one|body)|the family|(?:his|her|their) \w+)\b"
        r"|\b(?:no ?one|nobody|no-one) would (?:even )?(?:notice|care|miss (?:her|him|them|me))\b"
        r"|\bif (?:i|she|he|they) (?:was|were|'?m|'?s) gone\b", _I)),
    ("no reason to live", re.compile(
        r"\bwhat'?s the point\b(?!\s+(?:of|in)\s+(?!living|going|anything|it all|trying))"
        r"|\bwhats the point\b(?!\s+(?:of|in)\s+(?!living|going|anything|it all|trying))"
        r"|\b(?:won'?t|will not|wont) be (?:around|here) (?:much longer|for long|any ?more|by)\b"
        r"|\b(?:doesn'?t|does not|doesnt|can'?t|cant) see (?:" + _SELF_WORDS + r"|a future)"
        r"(?: still)?(?: (?:here|around|alive|being here))?\b"
        r"|\btired of (?:being alive|living|life|it all|everything)\b"
        r"|\b(?:life|living) (?:is ?n'?t|isnt|is not|not) worth (?:living|it)\b"
        r"|\bnot worth living\b", _I)),
    ("goodbyes and farewell letters", re.compile(
        r"\b(?:letters?|notes?) addressed to\b|\b(?:last|final) (?:msg|message|text|e-?mail"
        r"|voicemail)\b|\bsorry for everything\b|\b(?:saying|said|says|say|bid|bidding|making) (?:(?:his|her|their) )?"
        r"farewells?\b|\bfarewells? (?:to|letters?|notes?|messages?|texts?|posts?|videos?)\b|\b(?:like|as if|as though)"
        r" (?:a |(?:she|he|they)'?s? (?:is |was |were )?saying )goodbye\b|\b(?:won'?t|will never"
        r"|wont|never) (?:hear from|see) (?:me|her|him|them) again\b|\blove you all\b"
        r"|\b(?:wrote|writing|written|left) (?:letters|notes) (?:to|for) (?:each of )?(?:his|her"
        r"|their) (?:children|kids|family|parents)\b|\bgoodbye (?:letters?|notes?|messages?"
        r"|texts?|posts?)\b|\b(?:a |the )?note (?:on|in|under) (?:the|his|her) (?:kitchen |bedroom "
        r")?(?:table|pillow|bed|door|desk)\b", _I)),
    ("giving things away", re.compile(
        r"\bprized possessions\b|\b(?:gave|given|giving|gives|handing|handed|hands) (?:away |out "
        r")?(?:all |most of )?(?:his|her|their) (?:\w+ )?(?:tools|medals|guitars?|records|watch"
        r"|laptop|phone|journals?|diar(?:y|ies)|jewel\w*|savings|possessions|things|stuff"
        r"|belongings|clothes|collection|dog|cat|pets?)\b(?![^.,;]{0,40}\b(?:moving|move|moved"
        r"|new (?:one|place|flat|house)|upgrad\w*|grown|outgrown|decluttering)\b)"
        r"|\bsigned (?:his|her|their) (?:car|house|flat|bike) over\b|\brehom\w+ (?:both |all |"
        r"(?:his|her|their|the) )?(?:cats?|dogs?|pets?)\b(?![^.]{0,40}\b(?:allerg\w*|moving|landlord"
        r"|baby|because|since|as)\b)|\b(?:won'?t|wont|will not|wouldn'?t) need (?:it|them|those"
        r"|any of (?:it|this|them)|(?:his|her|their) \w+)(?: any ?more| where)?\b"
        r"|\bsomeone (?:should|else should) have (?:them|it)\b|\bsaid keep it\b", _I)),
    ("means at hand", re.compile(
        r"\b(?:stash|stockpile|hoard|box|bag|supply) of " + _PILLS + r"\b"
        r"|\b(?:sav|hoard|collect|stash)(?:e|es|ed|ing)? (?:up )?(?:(?:his|her|their) )?"
        + _PILLS + r"\b|\b(?:hoard|stockpil|stash)\w* (?:" + _PILLS + r")"
        r"|\bdifferent (?:pharmacies|chemists|gps|doctors)\b|\b(?:box|stash|pills|tablets|meds)"
        r" hidden\b|\baccess to (?:a )?(?:firearms?|guns?|weapons?|rifles?|shotguns?)\b"
        r"|\b(?:rifle|gun|shotgun|firearm|handgun|pistol)s? (?:in|at) (?:the|his|her|their) "
        r"(?:house|home|flat|room|car)\b|\bcharcoal\b(?! (?:grill|drawing|sketch|bbq|barbecue))"
        r"|\brazor blades?\b|\brope (?:in|under) (?:the|his|her|their) (?:car|boot|trunk|shed"
        r"|garage|room|bag|wardrobe)\b|\bways to die\b|\bhow to (?:die|end it|kill " + _SELF + r")"
        r"|\bheight of (?:the )?(?:bridge|car ?park|multi-?stor(?:e)?y|building|tower|cliffs?)\b"
        r"|\b(?:garage|car) with the (?:car|engine) (?:running|on)\b|\bmultistorey\b", _I)),
    ("rehearsal", re.compile(
        r"\b(?:sat|sitting|sits) with the (?:pills|tablets|gun|knife|rope|blade)\b"
        r"|\bloaded (?:the|his|her|a) gun\b|\btied (?:a|the) (?:rope|noose|belt)\b"
        r"|\bpractis(?:ed|ing)|\bpractic(?:ed|ing) (?:writing|the|a|how|with)\b"
        r"|\bpractice run\b|\bcounted out (?:(?:the|all|of|his|her|their) )*" + _PILLS + r"\b"
        r"|\b(?:to|at|on) the (?:train |railway )?tracks\b|\bran (?:the|his|her) car in the"
        r" (?:closed |shut )?garage\b|\bbelt (?:on|round|around) the door\b"
        r"|\bedge of the (?:platform|roof|cliff|bridge|car ?park)\b|\bto the cliffs?\b"
        r"|\bworking up to it\b|\bjust to see\b|\bsee what it (?:felt|feels|would feel) like\b",
        _I)),
    ("sudden calm after a crisis", re.compile(
        r"\b(?:suddenly|all of a sudden|out of nowhere|abruptly|overnight)\b[^.;]{0,40}\b(?:calm"
        r"|cheerful|happy|fine|upbeat|relaxed|at peace|peaceful|serene|better|brighter)\b"
        r"|\b(?:calm|cheerful|happy|fine|upbeat|relaxed|at peace|peaceful|serene|brightened)"
        r"\b[^.;]{0,20}\b(?:suddenly|all of a sudden|out of nowhere)\b|\babrupt (?:mood )?(?:lift"
        r"|improvement|change)\b|\bsudden (?:calm|calmness|improvement|mood lift|peace)\b"
        r"|\bfound a way out\b|\bweight (?:has )?lifted\b|\bsince (?:she|he|they) decided\b"
        r"|\b(?:has|'s|have|had) made (?:a|(?:her|his|their)) decision\b(?! (?:about|on|re|to"
        r"|regarding) )|\bmade (?:her|his|their) peace\b|\b(?:won'?t|wont) have to (?:deal with"
        r"|worry about|face) (?:it|this|anything|things)\b|\b(?:don'?t|dont|no need to) worry"
        r" about me\b|\b(?:it'?ll|it will|itll) (?:all )?be (?:over|sorted|fine) soon\b"
        r"|\bfigured (?:it all|everything) out\b|\bgot it all worked out\b", _I)),
    ("a recent attempt", re.compile(
        r"\b(?:took|taking|swallowed|swallowing|downed) (?:a |an )?(?:bottle|load|handful|box"
        r"|packet|bunch|lot|\d+)\b(?: of)?|\btook \d+\b|\bstomach pumped\b"
        r"|\battempted (?:last|on|yesterday|this|again|over|at|in the)\b|\b(?:after|following)"
        r" (?:an|a|her|his|their) (?:suicide )?attempt\b|\btr(?:y|ying|ies) to (?:end it|kill "
        + _SELF + r"|end (?:his|her|their) life)\b|\bempty (?:pill )?(?:packets|bottles|blister"
        r" packs?)\b|\bfound (?:her|him|them) unconscious\b|\bunconscious\b|\bon purpose\b"
        r"|\btalked (?:her|him|them) down\b|\bon the ledge\b|\bpsych(?:iatric)? liaison\b"
        r"|\bin (?:a&e|the ed|the er|icu|hospital) after\b", _I)),
    ("self-harm", re.compile(r"\bSH\b|\bDSH\b")),
    ("self-harm", re.compile(
        r"\bblood on (?:the|her|his|their) (?:towels?|sheets?|sleeves?|clothes)\b"
        r"|\bpunch(?:es|ed|ing)? (?:the )?walls?\b|\b(?:till|until) (?:she|he|they|it) (?:bleeds?"
        r"|bruises?)\b|\bknuckles (?:bleed|bleeding|bloody)\b|\blighter (?:on|to) (?:her|his"
        r"|their) (?:arm|skin|leg|wrist)s?\b|\bcarv(?:e|es|ed|ing) into\b|\bcut (?:her|his|their)"
        r" (?:wrists?|arms?|legs?|thighs?)\b|\bbang(?:s|ed|ing)? (?:her|his|their) head\b"
        r"|\bcutting (?:in|at|again|herself|himself)\b|\bburning (?:herself|himself|themselves)\b"
        r"|\blong sleeves\b(?=[^.]{0,40}\b(?:again|hid\w*|cover\w*|now)\b)", _I)),
    ("command hallucinations", re.compile(r"\bCAH\b")),
    ("command hallucinations", re.compile(
        r"\b(?:god|the devil|a voice|the voices?|voices?|someone|something) (?:that )?(?:keep |keeps"
        r" )?(?:tell(?:s|ing)?|told|command\w*|order\w*|instruct\w*|say(?:s|ing)?|said)\b"
        r"(?: (?:her|him|them|me))?(?: that)? (?:she|he|they|i)? ?(?:has to|have to|must|should"
        r"|deserves?|needs? to|to)\b|\bhallucinations? (?:instruct\w*|command\w*|telling)\b"
        r"|\btalking back to (?:the )?voices\b", _I)),
    ("threats to others", re.compile(
        r"\b(?:she|he|they|i)(?:'?ll| will) (?:kill|stab|shoot|hurt|strangle) (?:him|her|them"
        r"|you)\b|\bmake (?:his|her|their) \w+ pay\b|\bcarr(?:y|ies|ying) a (?:knife|blade|gun"
        r"|weapon)\b|\b(?:want(?:s|ed|ing)? to|going to|gonna) (?:hurt|harm|kill|attack) (?:the "
        r")?(?:people|everyone|them)\b|\bburn (?:the|his|her|their) (?:house|flat|place|school)"
        r" down\b|\b(?:won'?t|wont) see it coming\b|\blist of (?:people|names)\b|\bHI (?:to|toward"
        r"|towards|re|against)\b", _I)),
    ("affairs put in order", re.compile(
        r"\b(?:updated|changed|rewrote|wrote|made|making|writing|sorted) (?:a |his |her |their )?"
        r"will\b(?! (?:for|on behalf of) (?:her|his|their|a) )|\blife insurance\b"
        r"|\binstructions (?:for|about) (?:who|after|what)\b|\bwho (?:gets|would get|will get"
        r"|should get|'d get|d get) (?:what|the kids|the children|(?:his|her|their) \w+)\b"
        r"|\bwho'?d get\b|'after'|\bafter (?:she|he|they)(?:'?s|'?re| is| are) gone\b"
        r"|\bwhen (?:she|he|they)(?:'?s|'?re| is| are) gone\b|\bif (?:she|he|they|i) died\b"
        r"|\bpasswords and bank details\b|\bbank details (?:for|to)\b|\btying up loose ends\b"
        r"|\bclosed (?:all )?(?:his|her|their) (?:accounts|bank accounts)\b|\bown funeral\b"
        r"|\bfuneral music\b", _I)),
    ("wanting to die", re.compile(r"\bending (?:his|her|their|my) (?:own )?life\b", _I)),
    ("a recent attempt", re.compile(r"\brecent SA\b|\bSA\b (?:last|on|this|yesterday)", _I)),
    ("self-harm", re.compile(r"\bSH ?\+|\bsh\+(?!\w)", _I)),
    # Farewells said as thanks or as an ending: "the last time you'll hear from me", "thanks for
    # trying", "you did all you could", "in case I don't see them again".
    ("goodbyes and farewell letters", re.compile(
        r"\blast time (?:[\w']+ ){0,3}?(?:hear(?:s|ing)? from|see(?:s|ing)?|speak(?:s|ing)? to|talk"
        r"(?:s|ing)? to) (?:me|her|him|them|you|us)\b(?! (?:before|until|till|for (?:a while|now|the"
        r" summer|a bit)|this (?:year|month|term|week)))|\bin case (?:i|she|he|they|we) (?:don'?t|do not"
        r"|doesn'?t|does not|never|won'?t) (?:get to )?see (?:them|you|her|him|me|each other|us)"
        r" again\b|\bthanks? (?:you )?for (?:trying|everything you(?:'ve| have)? (?:tried|done))\b"
        r"(?! to\b)|\b(?:you|i|we) did (?:all|everything|what) (?:you|i|we) could\b"
        r"|\b(?:good-?bye|bye|farewell) (?:every(?:one|body)|all|world|y'?all|folks)\b"
        r"|\b(?:look after|take care of) (?:your ?self|yourselves)\b[^.]{0,40}\bsorry\b", _I)),
    # Researching the means: how much of a medicine would kill, fast trains, buying pills in
    # several shops.
    ("researching a method", re.compile(
        r"\bhow (?:many|much) (?:of )?(?:(?:his|her|their|my|these|those|the) )?" + _PILLS
        + r"(?: \w+)? (?:would|could|does it take|it takes|to take|is too|are too)\b"
        r"(?![^.]{0,30}\b(?:cost|price|pay|charge)\b)|\bwhat (?:a|the|an) (?:whole|full|entire)"
        r" (?:bottle|packet|box|pack|strip|blister|tub|month'?s supply)\b|\b(?:would be|is|are)"
        r" (?:a )?(?:fatal|lethal)\b|\b(?:express|fast|non-?stop(?:ping)?|freight|through) trains? (?:that )?(?:come"
        r"|pass|go|run|don'?t stop|doesn'?t stop)\b|\b(?:times?|timetables?|schedules?) (?:of|for)"
        r" (?:the )?(?:express|fast|non-?stop\w*|freight|through) trains?\b|\btrains? (?:that )?(?:don'?t|doesn'?t|do not|does not) stop\b|\bwhen (?:the )?trains?"
        r" (?:come|pass|go|run) through\b|\b" + _PILLS + r"\b[^.]{0,40}\b(?:from|in|at|across)"
        r" (?:several|multiple|various|different|a few|a couple of|lots of|two|three|four|\d+)"
        r" (?:different )?(?:shops|stores|chemists|pharmacies|supermarkets|places)\b", _I)),
    # Going to the place, again and again or to try it out: "the spot he picked out", "where
    # she'd do it", "keeps driving past the bridge at night", "timed the walk to the cliffs".
    ("rehearsal", re.compile(
        r"\bthe (?:spot|place|location) (?:(?:she|he|they|i)(?:'d| would| had| has| have)? )?"
        r"(?:picked|chose|chosen|found|selected|scoped|had in mind)(?: out)?\b(?! (?:for|to (?:eat|meet"
        r"|stay|live|go|have))\b)|\b(?:where|how|when)"
        r" (?:she|he|they|i)(?:'d| would|'ll| will| could| is going to|'s going to) do it\b"
        r"|\b(?:driv\w+|drove|walk\w*|go(?:es|ing)?|went|visit\w*|cycl\w+|sits?|sat|stand\w*|stood)"
        r" (?:past|to|by|at|on|up to|back to|out to) the (?:bridge|cliffs?|tracks|viaduct|railway"
        r"(?: line)?|level crossing|ledge|quarry|multi-?stor(?:e)?y|car ?park roof|river|reservoir"
        r"|pier)\b(?=[^.]{0,50}\b(?:most|every|each|again|nights?|alone|sits?|sat|staring|just to"
        r"|in the dark|for an hour)\b)|\btimed (?:the|how long|his|her|their) (?:walk|drive|journey"
        r"|trip)\b(?=[^.]{0,30}\b(?:bridge|cliffs?|tracks|spot|place|edge|river|quarry|station)\b)",
        _I)),
    # Settling up with nowhere to go: cancelling contracts or giving notice for no reason she'll
    # give, settling "everything", organ donation, a solicitor beside them.
    ("affairs put in order", re.compile(
        r"\b(?:cancel\w*|clos(?:e|ed|ing)|end(?:ed|ing)?|stopp?(?:ed|ing)?) (?:all )?(?:his|her|their)"
        r" (?:\w+ )?(?:contracts?|subscriptions?|memberships?|direct debits?|standing orders?"
        r"|accounts?|lease|tenancy|phone)\b(?=[^.]{0,80}\b(?:nowhere (?:to go|else|lined up)|won'?t"
        r" (?:say|explain|tell)|no reason|out of the blue|for no|and (?:gym|(?:his|her|their) "
        r"(?:gym|phone|flat|lease|tenancy)))\b)(?![^.]{0,80}\b(?:moving|move|moved|relocat\w*"
        r"|abroad|cheaper|deal|switch\w*|new (?:one|provider|job|place|flat|house))\b)|\b(?:giv(?:en|e|es|ing)|gave) (?:up |notice on )?"
        r"(?:his|her|their) (?:flat|house|home|tenancy|room|job)\b(?=[^.]{0,60}\b(?:nowhere"
        r" (?:to go|else|lined up)|no plans|won'?t (?:say|explain|tell)|no reason)\b)"
        r"|\bsettl(?:e|es|ed|ing) (?:up |all )?(?:(?:her|his|their) )?(?:affairs|debts|accounts"
        r"|everything)\b|\b(?:bills?|debts|accounts) and ['\"‘]?everything else\b"
        r"|\borgan don(?:or|ation)\b", _I)),
    # A burden, in more of the words people use: "happier without her", "a waste of space",
    # "everyone's problem", "costs everyone just by existing".
    ("feeling a burden", re.compile(
        r"\b(?:happier|better|fine|freer|easier|better off) without (?:me|her|him|them)\b"
        r"|\bif (?:i|she|he|they) (?:wasn'?t|weren'?t|was not|were not) (?:here|around|alive)\b|\bwaste of (?:space"
        r"|oxygen|air|a life|skin)\b|\b(?:i'?m|she'?s|he'?s|they'?re|i am|she is|he is) not worth"
        r" (?:saving|helping|the (?:effort|bother|trouble)|your time|anyone'?s time)\b"
        r"|\b(?:every(?:one|body)'?s|the family'?s) (?:problem|burden)\b|\bjust by (?:existing|being"
        r" alive|being here)\b|\bruin(?:s|ed|ing)? (?:every(?:one|body)'?s|(?:his|her|their) (?:family"
        r"|kids|children|parents)'?s?) li(?:fe|ves)\b", _I)),
    # Sudden calm in more words: out of character, after months of low mood, a weight lifted.
    ("sudden calm after a crisis", re.compile(
        r"\b(?:out of character|unnervingly|uncharacteristically|eerily|unusually|weirdly|strangely"
        r"|oddly) (?:\w+ )?(?:calm|cheerful|happy|upbeat|relaxed|peaceful|serene|chirpy|bright|light"
        r"|content|settled|relieved|at ease)\b|\b(?:after|following) (?:weeks|months|years|ages) of"
        r" (?:\w+ ){0,3}?(?:low|depress\w*|despair|misery|distress|darkness|hopeless\w*|crying)\b"
        r"[^.]{0,60}\b(?:calm|cheer\w*|happy|fine|upbeat|relaxed|at peace|peaceful|serene|light"
        r"|relieved|content|smiling|chirpy|bright)\b|\b(?:mood|she|he|they)(?: has| had|'s)?"
        r" (?:lifted|brightened|improved|changed) (?:overnight|suddenly|out of nowhere|all at once"
        r"|from one day to the next)\b|\blike a weight (?:has |had )?(?:been )?lifted\b", _I)),
    # Researching means in more words: painless ways, a fatal amount, what happens if.
    ("researching a method", re.compile(
        r"\b(?:painless|quickest|quick|easiest|surest|best) ways? to (?:go|die|do it|end it|end"
        r" things)\b|\bhow (?:tall|high|deep|far down) (?:the|a|that) (?:bridge|building|car ?park"
        r"|cliff|drop|fall|tower|multi-?stor(?:e)?y)\b|\b(?:fatal|lethal|toxic|deadly) (?:amount"
        r"|dose|quantity|combination|mix)\b|\bwhat (?:would )?happens? if (?:you|someone|she|he|i"
        r"|they) (?:took|take|takes|mix\w*|drank|swallow\w*) (?:all|a (?:whole|full)|too many"
        r"|\d+|the whole)\b|\bhow long (?:it|does it) (?:takes? )?(?:to )?(?:die|bleed out|drown"
        r"|lose consciousness|pass out)\b|\bhelium\b(?! balloons?)|\b(?:bought|buying|stocking"
        r" up on|stockpiling) (?:loads|lots|a lot|boxes|packets|packs|bulk|\d+ (?:packs|boxes"
        r"|packets)) of " + _PILLS + r"\b", _I)),
    ("threats to others", re.compile(
        r"\b(?:smash|kick|bash|cave|punch) (?:his|her|their|your|my|the) (?:[\w']+ )?(?:face|head"
        r"|skull|teeth) in\b|\b(?:glass|knife|shank) (?:him|her|them|you)\b", _I)),
    # A wish never to have been born; no reason to carry on or to get up; a recent attempt
    # named as such; new scratches or marks on the wrists or arms; applying for a gun licence
    # (not a renewal, not beside a sport or a job that needs one).
    ("a wish to be dead", re.compile(
        r"\b(?:wish(?:es|ed)?|wishing) (?:that )?(?:she|he|they|i)(?:'d| had| was| were)? never"
        r" (?:been )?born\b|\bouts?tayed (?:his|her|their|my) welcome (?:on|in) (?:this )?(?:earth"
        r"|world|life)\b", _I)),
    ("no reason to live", re.compile(
        r"\b(?:no|not (?:one|a single|any)|(?:can'?t|cannot|cant|couldn'?t) (?:think of|find|see)"
        r" (?:a|one|any|a single)) reason (?:to|for) (?:get(?:ting)? up|carry(?:ing)? on|keep(?:ing)?"
        r" going|go(?:ing)? on|stay(?:ing)? alive|be(?:ing)? alive)\b|\b(?:can'?t|cannot|cant"
        r"|couldn'?t|won'?t) carry on\b(?! (?:with|working|at|like that|as (?:she|he|they|we)))",
        _I)),
    ("a recent attempt", re.compile(
        r"\brecent (?:suicide |overdose )?attempt\b|\b(?:suicide )?attempt (?:last|this|on|over"
        r" the) (?:night|week|weekend|month|monday|tuesday|wednesday|thursday|friday|saturday"
        r"|sunday)\b", _I)),
    ("self-harm", re.compile(
        r"\b(?:new|fresh|more) (?:cuts|marks|scratches|scars|wounds|burns|bruises)(?: \w+)? on"
        r" (?:(?:her|his|their) )?(?:arms?|wrists?|legs?|thighs?|forearms?|stomach)\b"
        r"|\b(?:cuts|scratches|marks|burns) on (?:her |his |their )?(?:wrists?|forearms?)\b", _I)),
    ("goodbyes and farewell letters", re.compile(
        r"\b(?:the )?last (?:you'?ll|you will|anyone will|they'?ll|we'?ll) (?:ever )?(?:hear|see)"
        r" (?:from|of) (?:me|her|him|them)\b", _I)),
    ("command hallucinations", re.compile(
        r"\b(?:dead|late|deceased) (?:\w+ ){0,2}(?:telling|instructing|ordering|calling|asking"
        r"|wants?) (?:her|him|them|me) to (?:join|come|be with)\b|\bhear(?:s|d|ing)? (?:\w+ ){1,4}"
        r"(?:instructing|ordering|commanding) (?:her|him|them|me) to\b", _I)),
    ("researching a method", re.compile(
        r"\bwhich (?:of )?(?:his|her|their|the|my) (?:\w+ )?(?:tablets|pills|meds|medications?)"
        r" (?:would|could) (?:be )?(?:dangerous|fatal|lethal|kill)|\b(?:dangerous|fatal|lethal"
        r"|deadly|toxic) (?:together|in (?:large|big|high) (?:amounts|doses|quantities))\b", _I)),
    ("means at hand", re.compile(
        r"\bborrow(?:ed|ing|s)? (?:a|his|her|their|the|someone'?s|\w+'s) (?:\w+'s )?(?:gun|rifle"
        r"|shotgun|firearm|pistol)\b", _I)),
    ("means at hand", re.compile(
        r"\b(?:appl(?:y|ies|ied|ying) for|getting|got|wants?|sent off for) (?:a |an )?(?:gun"
        r"|firearms?|shotgun|rifle) (?:licen[cs]e|permit|certificate)\b(?![^.]{0,60}\b(?:clay"
        r"|club|range|hunt\w*|stalking|deer|farm\w*|gamekeep\w*|pest|job|work|army|police)\b)",
        _I)),
)


_ALL_RISK_WORDS = RISK_WORDS + MORE_RISK_WORDS

# The contact channels a consent flag opens, as the safety steps name them.
_CONTACT = (("sms_consent", "text message"), ("phone_consent", "phone"),
            ("email_consent", "e-mail"))


def risk_mentions(text: str) -> List[str]:
    """What the therapist's words speak of, in RISK_WORDS order (empty: nothing found)."""
    text = text or ""
    labels = [label for label, pattern in _ALL_RISK_WORDS if pattern.search(text)]
    return list(dict.fromkeys(labels))


def mentions_risk(text: str) -> bool:
    """Do the therapist's words speak of hopelessness, self-harm, suicide, crisis or safety?"""
    return bool(risk_mentions(text))


# A denial just before the words of risk: "never suicidal", "denies SI", "wasn't at risk",
# "no self-harm". Up to three words may stand between ("never been at risk"), within one clause.
_DENIAL = re.compile(
    r"\b(?:never|not|no|neither|nor|denie[sd]|deny(?:ing)?|without"
    r"|(?:doesn'?t|does not|didn'?t|did not|denie[sd]) (?:have|report|voice|express)(?: any)?"
    r"(?: thoughts? of)?|no (?:\w+ )?thoughts? of|no longer|isn'?t|wasn'?t|aren'?t|weren'?t"
    r"|hasn'?t|hadn'?t|doesn'?t|didn'?t|nothing|negative for|neg for|nil|ruled out|free of"
    r"|absence of|no (?:hx|history|evidence|sign|signs|indication) of|no current)\b"
    r"(?:[ \t/&]+(?!but\b)[\w'-]+){0,3}?[ \t/&]*[ \t/&]$", _I)
# A negative screen, wherever it stands in a message: a denial and, in the same clause, what was
# screened for ("denies SI/HI", "no thoughts of hurting herself", "SI/HI: none", "risk low").
# A part of a message carrying one is explained (see _explained_away).
_SCREENED_FOR = (r"(?:S/?I|H/?I|SH|DSH|suicid\w*|self[- ]?harm\w*|ideation|intent|plans?|thoughts?"
                 r"|wish(?:es)? to (?:die|be dead)|risk|safety|voices|hallucinat\w*|firearms|guns?"
                 r"|weapons|means|overdos\w*|OD|harm\w*|concerns?|paranoia)")
_NEGATIVE_SCREEN = re.compile(
    r"\b(?:denie[sd]|deny(?:ing)?|neither|nor|negative(?: for)?|neg(?: for)?|nil|no|not|never"
    r"|without|doesn'?t have|didn'?t (?:have|report)|has no|had no|ruled out|screened)\b"
    r"[^.;,\n]{0,40}?\b" + _SCREENED_FOR + r"\b|\b" + _SCREENED_FOR + r"\b[^.;,\n]{0,15}?"
    r"(?:\b(?:denied|negative|neg|none|nil|clear|low|ruled out)\b|[:=]\s*(?:no|0|nil)\b|-\s*none"
    r"\b)"
    # a screening tool all negative: "C-SSRS all no", "PHQ-9 item 9 = 0", "ASQ negative"
    r"|\b(?:C-?SSRS|Columbia|ASQ|PHQ-?9(?: (?:item|q) ?9)?|item 9|(?:risk )?screen(?:er|ing)?)"
    r"(?: screen(?:er|ing)?)?[^.;\n]{0,20}?(?:\b(?:all |was |came back |were |is )*(?:no|negative"
    r"|neg|clear|nil|zero|denied)\b|[:=]\s*0\b)", re.IGNORECASE)
# A denial after the words: "SI denied", "SI/HI: neg", "screened negative for SI" is before.
_DENIED_AFTER = re.compile(r"^(?:[ \t/&]+[A-Z]{1,4}\b)*\s*(?:[:=\-]\s*)?(?:(?:firmly|flatly|clearly"
                           r"|strongly|consistently|categorically|fully|again) )?(?:denied|negative|neg\b"
                           r"|none|nil|absent|not present|ruled out|\(-\)|-ve)"
                           r"|^\s*[:=\-]\s*(?:no|nope|n)\b|^\s*(?:[:,\-]|,? and)?\s*(?:(?:she|he|they) )?(?:said|says|answered|replied)(?! no(?:body| (?:more|further|longer|one|point|reason|way|future|hope|need|chance|life|will|purpose|energy|joy|friends?|family)))"
                           r" (?:no|not at all|never)\b"
                           # "suicidal thoughts and she denied them", "SI, currently denies"
                           r"|^(?:\s+[\w'-]+){0,2}\s*[,;\-]?\s*(?:and )?(?:she|he|they|pt|client)"
                           r" (?:firmly |flatly |clearly )?(?:denied|denies|denying) (?:it|them|this|that"
                           r"|any|all|having)\b|^(?:\s+[\w'-]+){0,3}\s*[,;]?\s*(?:and )?(?:currently|now|today|presently)"
                           r" (?:denie[sd]|negative|none|nil|absent)\b", _I)
# Words of risk as a topic of work, not of a client: training, forms, policy, numbers.
_AS_A_TOPIC = re.compile(r"^\s*(?:risk(?=\W)\s*)?(?:assessments?|screen(?:s|ing|er)?|training|prevention"
                         r"|protocols?|templates?|polic(?:y|ies)|courses?|modules?|ce\b|webinars?"
                         r"|workshops?|certification|hotlines?|lifelines?|awareness|lines?\b|rota\b|support groups?"
                         r"|groups?\b|leaflets?|handouts?|worksheets?|lead\b"
                         r"|numbers?\b|resources?|questionnaires?|scales?|forms?\b|plan template"
                         r"|rates?\b|statistics|stats\b|figures\b|guidelines?|pathways?|procedures?"
                         r"|audits?\b|literature|research\b|(?:papers?|articles?) (?:on|about|by|in)\b"
                         r"|studies\b"
                         r"|conference|seminars?|lectures?|cpd\b|questions? (?:on|in) the"
                         r"|items? (?:on|in) the|champion|policies|toolkit|e-?learning|documentation"
                         # a word named as a field of a form: "is 'self-harm' a required field"
                         r"|['\"’”]?\s*(?:(?:is|was)\s+)?(?:(?:a|an|the)\s+)?(?:(?:required|mandatory"
                         r"|optional|compulsory|separate|new)\s+)?(?:fields?|tick-?box(?:es)?|check"
                         r"-?box(?:es)?|drop-?downs?|columns?|categor(?:y|ies)|codes?|sections?)\b)",
                         _I)
# Words of risk as the subject of a talk, a paper or teaching, or of a how-to question, said
# before them: "presenting on suicide at grand rounds", "a paper about self-harm", "how do I
# document self-harm" (not "talking about suicide").
_TOPIC_BEFORE = re.compile(
    r"\b(?:how|where|when) (?:do|should|can|would|must|could) (?:i|we|you|staff|clinicians)"
    r" (?:best )?(?:ask|record|document|log|code|flag|enter|note|screen|assess|raise|bring up|word"
    r"|phrase|talk|write up|report)(?: [\w'-]+){0,3}? (?:about |for |re |on )?['\"‘“]?$|"
    # "a script for asking about suicide", "tips on raising self-harm"
    r"\b(?:scripts?|wording|form of words|questions?|phrases?|tips?|guides?|advice) (?:for|to|on)"
    r" (?:asking|ask|talking|talk|raising|raise|bringing up|screening) (?:about |for )?$|"
    r"(?:\b(?:presenting|lecturing|teaching|presentation|lecture|seminar|webinar|poster|slides?"
    r"|audit|journal club|grand rounds|CPD|stats?|statistics|guidance|policy|protocol)|\b(?:a|the"
    r"|my|our|your) (?:talk|paper|article|study|review|chapter|course|module|training))\b"
    r" (?:on|about|re|into|around|of)(?: (?:the|youth|teen|adolescent|male|female|men'?s"
    r"|women'?s|perinatal|student|\w+-related))? ['\"‘“]?$", _I)


# Everyday words that only sound like risk: idioms and the ordinary reasons a client misses
# ("this commute is killing her", "shoot her an email", "her phone died", "saying goodbye to her
# old job", "burned her hand cooking"). A word of risk inside one of these does not count, and
# neither does the language model's reading of a message they explain (see speaks_of_risk).
# Part of the reviewed list: a clinician must review these too, since each one is a way for
# words of risk to go unheard.
NOT_RISK: Tuple[Tuple[str, re.Pattern], ...] = (
    # What happened to someone outside the family, told as news: "her friend overdosed at a
    # party", "his colleague took his own life last year". Family members are left out, since a
    # relative's report names the client that way ("her son overdosed").
    ("someone else's news", re.compile(
        r"\b(?:(?:her|his|their|the client'?s|pt'?s) (?:\w+'s )?(?:best |old |close |school"
        r" |work |uni )?(?:friend|mate|colleague|co-?worker|workmate|neighbou?r|classmate"
        r"|flatmate|roommate|housemate|teammate|boss|manager|student|pupil|patient|client)s?"
        r"|(?:a|an) (?:best |old |close |school |work |uni )?(?:friend|mate|colleague|co-?worker"
        r"|workmate|neighbou?r|classmate|flatmate|roommate|housemate|teammate)"
        r"|(?:a|an) (?:student|pupil|patient|client) of (?:hers|his|theirs))"
        r" (?:(?:has|had|have) )?(?:(?:been|just|recently|also|sadly) )?(?:overdos\w*|OD'?d"
        r"|self[- ]?harm\w*|died by suicide|took (?:his|her|their) (?:own )?life|killed"
        r" (?:himself|herself|themselves)|(?:attempted|tried) (?:suicide|to kill (?:himself|herself"
        r"|themselves))|committed suicide|was (?:stabbed|attacked|shot|assaulted|murdered))\b", _I)),
    # Goodbyes at a planned ending of therapy: "said goodbye at our last session", "a final
    # session to say goodbye", "said goodbye and asked for a referral".
    ("a goodbye at an ending of therapy", re.compile(
        r"\b(?:said|saying|say|says|to say) (?:good-?bye|farewell)s?\b(?=[^.;]{0,40}\b(?:at|in"
        r"|during|after) (?:the |our |her |his |their )?(?:end of (?:the |our |her |his |their )?)?"
        r"(?:last|final|closing|ending|leaving|12th|twelfth) (?:session|appointment|meeting)\b"
        r"|[^.;]{0,40}\b(?:referral|transfer|new (?:therapist|service|clinic|counsellor)"
        r"|discharge (?:letter|summary)|summary letter)\b)"
        r"|\b(?:last|final|closing|ending) (?:session|appointment)s? (?:\w+ ){0,2}?(?:to|and)"
        r" (?:say )?(?:good-?bye|farewell)s?\b", _I)),
    # A will or life insurance put in order beside a life event: a baby, a wedding, a house.
    ("a will beside a life event", re.compile(
        r"\b(?:will|life insurance)\b(?=[^.]{0,60}\b(?:baby|birth|wedding|married|marriage"
        r"|mortgage|new house|bought a house|solicitor)\b)|\b(?:baby|birth|wedding|married"
        r"|marriage|mortgage|new house|bought a house)\b[^.]{0,60}\b(?:will|life insurance)\b",
        _I)),
    ("idiom", re.compile(
        # anger or a job said in a killer's words, a computer's process killed, hanging on for a
        # slot, the end of one's tether with someone, crime as entertainment
        r"\b(?:boss|manager|mum|mom|mother|dad|father|teacher|coach|supervisor|parents|wife"
        r"|husband|partner) (?:would|'d|will|'ll|is going to|gonna) (?:murder|strangle|throttle"
        r"|skin) (?:him|her|them|me)\b|\bcould(?: have|'ve| of) (?:killed|murdered|strangled"
        r"|throttled) (?:him|her|them|(?:his|her|their) \w+) for (?:forgetting|being|not|losing"
        r"|eating|taking|leaving|breaking|missing)\b|\bkill(?:ed|ing|s)? (?:the|a|that|this|an)"
        r" (?:\w+ )?(?:process|task|app|program|job|tab|browser|connection|server|script)\b"
        r"|\bhang on (?:for|till|until|a (?:bit|minute|sec|second|moment|while))\b|\bend of (?:his"
        r"|her|their|my) (?:rope|tether) with\b|\btrue crime\b[^.]{0,40}|\bcrime (?:drama|series"
        r"|novels?|shows?|podcasts?|documentar\w+|thrillers?)\b|\bmurder (?:myster\w+"
        r"|documentar\w+|podcasts?)\b|"
        r"\bkill(?:s|ing|ed)? (?:it|time|two birds)\b|\b(?:'d|would|could) kill for\b"
        r"|\bkill for (?:a|an|the|some)\b|\b(?:commute|job|work|traffic|stress|shifts?|rota"
        r"|schedule|exams?|heat|back|knees?|feet|this|that|it|hours|kids|drive|journey|bus)"
        r" (?:is|'s|are|was|were) (?:\w+ )?killing (?:her|him|them|me)\b"
        r"|\b(?:boss|manager|mum|mom|mother|dad|father|teacher|coach|supervisor|parents)"
        r" (?:would|'d|will|'ll|is going to|gonna) kill (?:him|her|them|me)\b"
        r"|\bdying (?:to|for)\b|\bdead (?:set|end|tired|beat|serious|on time|keen)\b"
        r"|\b(?:phone|battery|laptop|car|printer|wifi|internet)(?: \w+)? (?:died|dead|was dead"
        r"|is dead)\b|\b(?:died|die|dying) of (?:embarrassment|boredom|laughter|shame|"
        r"curiosity)\b|\b(?:bored|scared|worried|worked|working (?:" + _SELF_WORDS + r"))"
        r" to death\b|\bshoot (?:her|him|them|me|you) (?:an?|the|over an?) (?:e-?mail|text"
        r"|message|note|line|reminder)\b|\bshot in the dark\b|\bpull(?:ed|ing)? the trigger on\b"
        r"|\bcrashed and burned\b|\bburn(?:ing|t|ed)? the candle\b|\bburn(?:ed|t|ing)? out\b"
        r"|\bhanging (?:in there|on)\b|\bcross (?:that|the) bridge\b|\bbridge (?:club|team|the gap"
        r"|loan|year|course)\b|\broped in\b"
        r"|\brope(?:d|s)? (?:in|into) (?:her|his|their) (?:partner|husband|wife|mum|mom|dad|family"
        r"|sister|brother|friends?|boyfriend|girlfriend|kids|parents|carer)\b"
        r"|\bcut(?:ting)? it (?:fine|close)\b|\bcut(?:ting|s)? (?:back|down) (?:on )?(?:her |his "
        r"|their )?hours\b|\bover the moon\b|\bdoing (?:her|his|their|my) head in\b"
        r"|\bdrowning in (?:paperwork|work|e-?mails|admin|deadlines)\b|\bjump(?:ed|s|ing)? at\b"
        r"|\b(?:is|was|'s) (?:absolute |pure )?murder\b|\bmurder on\b|\bkiller (?:commute|shift)\b"
        r"|\bover my dead body\b|\bto die for\b"
        r"|\bdead on (?:my|her|his|their|our) feet\b|\blaugh\w* (?:so hard|till|until|that hard)"
        r"\b[^.;,]{0,30}?\b(?:died|dying|die)\b|\b(?:died|dying|die|wet (?:my|her|him|them)\w*)"
        r" (?:laughing|of laughter)\b|\bhang (?:him|her|them|me|you) out to dry\b"
        r"|\bbomb(?:ed|ing|s)? (?:her|his|their|my|the|an?) (?:\w+ )?(?:course|exams?|tests?"
        r"|interview|module|class|presentation|assignment|essay|audition|quiz|paper)\b"
        r"|\b(?:team|side|club|we|they)\b(?: \w+)? (?:got |were |was |get |gets )?(?:absolutely )?"
        r"(?:slaughtered|massacred|thrashed|annihilated|hammered|murdered|destroyed|killed)\b"
        r"|\b(?:'d|would|could) (?:die|murder|kill) for (?:a|an|some|one)\b|\bmurder (?:a|an|some)"
        r" (?:coffee|tea|pint|beer|drink|curry|pizza|burger|kebab|sandwich|cuppa|brew)\b", _I)),
    ("an ordinary reason", re.compile(
        # a funeral with its date, a visit to someone in hospital, a prescription collected,
        # a litter given away
        r"(?<!own )\bfuneral (?:is |was |'s )?(?:on|next|this|last|tomorrow|today|yesterday)\b"
        r"|\bvisit(?:s|ed|ing)? (?:her|him|them|(?:her|his|their) \w+) in (?:the )?hospital\b"
        r"|\b(?:picked up|pick(?:s|ing)? up|collect\w*|order\w*|renew\w*) (?:her|his|their|a|the)"
        r" (?:repeat )?(?:prescription|script)\b|\b(?:giv\w+ away|rehom\w+|sell\w*) (?:the |her"
        r" |his |their )?(?:kittens|puppies|litter)\b|"
        # illness and injury, their own or a relative's
        r"\b(?:sprain\w*|broke|broken|fractur\w*|twist\w*|pulled|injur\w*|hurt|dislocat\w*"
        r"|tore|torn) (?:her|his|their|my|an?|the) (?:\w+ )?(?:ankle|wrist|arm|leg|foot|back|hip"
        r"|knee|collarbone|shoulder|toe|finger|hamstring|neck|ribs?|ligament|achilles)\b"
        r"|\bwisdom (?:teeth|tooth)\b|\b(?:tooth|teeth) (?:out|pulled|extract\w*)\b|\broot canal\b"
        r"|\bdental (?:surgery|work|abscess|appointment)\b|\bfood poisoning\b|\b(?:stomach|tummy"
        r"|sickness|vomiting) bug\b|\bnorovirus\b|\b(?:the |a )?flu\b|\bcovid\b|\bmigraines?\b"
        r"|\btonsillitis\b|\bchest infection\b|\bappendicitis\b|\bpneumonia\b|\bkidney stones?\b"
        r"|\bgall ?(?:bladder|stones?)\b|\b(?:knee|hip|back|foot|shoulder) (?:op|operation|surgery)\b"
        r"|\b(?:had|having|has|for) (?:an? )?(?:operation|surgery|procedure|scan|mri|x-?ray|blood"
        r" tests?|colonoscopy|endoscopy)\b|\bgave birth\b|\bin labou?r\b|\bc-section\b|\bchemo\w*"
        r"|\bconcussion\b|\b(?:sick|ill|poorly) (?:with|from|after|bc|because)\b|\b(?:a|the|bad)"
        r" (?:cold|virus|bug|fever)\b|\bsick (?:kid|child|baby|note)\b|\b(?:threw|throwing|been throwing) up\b|\bhung ?over\b"
        r"|\bhangover\b|\b(?:mum|mom|mother|dad|father|gran\w*|nan|nana|grandad|grandpa|partner"
        r"|husband|wife|son|daughter|child|kid|baby|sister|brother|aunt|uncle|friend)(?:'s)? (?:is |was"
        r" |'s |has been |got |been )?(?:in|into|admitted to|taken to|in and out of) (?:the )?"
        r"hospital\b"
        # a relative's or a friend's death, the ordinary reason of a missed week
        r"|\b(?:mum|mom|mother|dad|father|gran\w*|nan|nana|grandad|grandpa|aunt|auntie|uncle"
        r"|cousin|(?:best |old )?friend|father-in-law|mother-in-law|step\w+|brother|sister|husband"
        r"|wife|partner|son|daughter|grandson|granddaughter|nephew|niece|\w+-in-law)(?:'s)?"
        r" (?:has |had )?"
        r"(?:died|passed(?: away)?|death|funeral)\b|\bbereave\w*|\b(?:gp|doctor|psychiatrist|prescriber|consultant|nurse) (?:has |had )?"
        r"(?:changed|upped|increased|reduced|lowered|adjusted|switched|doubled|halved|tapered)"
        r" (?:her|his|their|the) (?:\w+ )?(?:dose|doses|dosage|meds|medication|tablets"
        r"|antidepressants?)\b"
        # endings of therapy, and goodbyes to people leaving or at a leaving do
        r"|\b(?:end|ending|finish\w*|wrap\w* up|stop|stopping) (?:therapy|treatment|our sessions"
        r"|the sessions|sessions|counsel\w*|the work|our work)\b|\b(?:planning|plan|planned"
        r"|discuss\w*|agree\w*|work\w* towards|talk\w* about|prepar\w* for) (?:an|the|a|her|his"
        r"|their|our) (?:planned )?ending\b|\b(?:said|saying|say|says) (?:good-?bye|farewell)s?"
        r" to (?:her|his|their) \w+(?= (?:who|as|when|before)\b[^.]{0,40}\b(?:uni|university"
        r"|college|abroad|army|navy|new job|travel\w*|emigrat\w+|mov(?:e|ed|ing)|flight|airport"
        r"|gap year|boarding school)\b)|\b(?:retirement|leaving|going[- ]away|farewell) (?:do"
        r"|party|drinks|lunch|dinner|card|presentation|speech)\b|"
        r"\b(?:good-?byes?|farewells?) to (?:her |his |their |the )?(?:old |former )?(?:job|colleagues|team"
        r"|office|house|flat|school|workmates|co-?workers)\b|\bleaving (?:do|party|drinks)\b"
        r"|\b(?:moving|moved) (?:to|house|away|abroad|out|back)\b|\brelocat\w+"
        r"|\b(?:burn(?:ed|t)|cut) (?:her|his|their) (?:hand|finger|thumb|foot|arm|leg|knee)\b"
        r"(?=[^.]{0,40}\b(?:cooking|kitchen|work|oven|stove|iron|kettle|garden\w*|DIY|accident"
        r"|stitches|urgent care|a&e|shaving|knife|glass)\b)|\b(?:pharmacy|chemist|pharmacist)"
        r" (?:ran out|was out|closed|delay\w*|mix-?up|mixed up|gave (?:her|him|them) the wrong)|\bran out of (?:her|his|their) "
        r"(?:meds|medication|prescription|tablets|pills)\b(?=[^.]{0,40}\b(?:pharmacy|chemist"
        r"|gp|repeat|refill)\b)|\b(?:dog|cat|pet|rabbit|horse|hamster|puppy|kitten)\b[^.,;]{0,20}"
        r"\b(?:died|passed|put down|put to sleep)\b|\b(?:at|to|arranging|organi[sz]ing"
        r"|attending|planning) (?:the|a|(?:his|her|their) (?:\w+'s|late \w+'s)) funeral\b"
        r"|\bclay (?:pigeon )?shooting\b|(?<!applied for a )(?<!applying for a )(?<!applies for a )\bgun (?:licen[cs]e|club|range)\b|\bshooting (?:club"
        r"|range|licen[cs]e)\b|\bwill for (?:her|his|their) (?:mum|mom|mother|dad|father|gran\w*"
        r"|parents?)\b", _I)),
)

# A mention that is history, resolved: "hx of OD in 2015, none since", "self-harmed at uni,
# stopped years ago", "old scars, nothing recent". The words must say it is over; history
# alone ("history of suicide attempts") still raises a concern, and so does anything recent
# in the same sentence ("hx of OD in 2015, took another last night").
# What the words say is over: the kinds of risk a clinician records as history.
_PAST_KINDS = (r"(?:S/?I|SH|DSH|SA|ODs?|self[- ]?harm\w*|ideation|attempts?|episodes?|incidents?"
               r"|overdoses?|cutting|urges|thoughts|recurrences?|relapses?|admissions?|further"
               r"(?: \w+)?)")
_PAST_KINDS_LIST = _PAST_KINDS + r"(?:\s*[/,&]\s*(?:and )?" + _PAST_KINDS + r")*"
# How long it has been over: "since 2017", "for decades", "in 15 yrs", "in a decade".
_UNITS = r"(?:yrs?|years|decades?|months|while|long time)"
# Years at least two years before this one: "last incident 2014".
_OLD_YEARS = "(?:" + "|".join(str(y) for y in range(1950, date.today().year - 1)) + ")"
_NUMBER_WORDS = r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
_LONG_TIME = (r"(?:since\b|for (?:\d+|many|several|a few|years|months|decades|a decade|ages"
              r"|a long time)|in (?:over )?(?:\d+|a|many|several|a few|the (?:last|past)"
              r" (?:\d+|few|several|many)) ?" + _UNITS + r"\b|as an adult\b|in adulthood\b)")
_RESOLVED = re.compile(
    r"(?<!heard )(?<!had )(?<!got )(?<!seen )(?<!say )(?<!said )"
    r"\b(?:none|nothing|not|nil|no episodes?|no incidents?|no attempts?|well|stable|settled|free"
    r"|clear) (?:since|for (?:\d+|many|several|a few|years|months|decades|a decade|"+_NUMBER_WORDS
    + r")|in (?:over )?"
    r"(?:(?:the )?(?:last|past) )?(?:\d+|a|few|several|many|"+_NUMBER_WORDS+r") ?" + _UNITS + r"|as an adult"
    r"|in adulthood)\b"
    r"|\bno (?:current |further |more )?" + _PAST_KINDS_LIST + r" " + _LONG_TIME
    + r"|\bno (?:recurrence|relapse|repeat|further (?:episodes?|attempts?|incidents?))\b"
    r"|\b(?:fully |long since )?recovered\b|\bremote (?:hx|history)\b"
    r"|\bstopped (?:at|aged?|when (?:she|he|they) (?:was|were)) \d+\b"
    r"|\brecent(?:ly)?:? (?:no|none|nil|neg\w*|denied)\b"
    r"|\bresolved\b|\bin remission\b|(?<!medically )(?<!physically )\bstable\b(?! (?:enough"
    r" to|on the))|\bstopped (?:years|months|a long time|long) ago\b|\bno (?:current )?risk now"
    r"\b|\bnothing recent\b|\bcurrently well\b|\blong ago\b|\bnot for years\b"
    # "none now", "nil recent", "nothing like that since", "well for over a decade", "none in
    # the last year", "hasn't for years", "not active", "long stopped", "last incident 2014"
    r"|(?<!heard )(?<!had )(?<!got )(?<!seen )(?<!say )(?<!said )"
    r"\b(?:none|nil|nothing|no (?:SI|SH|self[- ]?harm|episodes?|incidents?|attempts?|thoughts?))"
    r" (?:now|current(?:ly)?|recent(?:ly)?)\b|(?<!heard )(?<!had )(?<!got )(?<!seen )(?<!say )"
    r"(?<!said )\b(?:none|nothing|not|nil|well|stable|settled|fine"
    r"|ok|okay|free|clear|no (?:risk|SI|SH|episodes?|incidents?|attempts?))"
    r" (?:(?:like (?:that|it) )?since|for (?:over |more than |about |nearly |almost )(?:a|\d+|"
    + _NUMBER_WORDS + r") ?" + _UNITS + r")\b|\b(?:none|nothing|no \w+) in the (?:last|past) year\b"
    r"|\b(?:has|have|had)n'?t (?:since|for (?:years|ages|a long time|decades|\d+ ?(?:yrs?|years)))\b"
    r"|\bnot (?:for|in) (?:a long time|ages|years|decades)\b|\b(?:not|no longer) (?:active"
    r"|current|ongoing)\b|\binactive\b|\blong (?:since )?stopped\b|\b(?:doing|been) (?:well|fine"
    r"|ok|okay) (?:now|since)\b|\blast (?:incident|episode|attempt|OD|overdose|self[- ]?harm|SH"
    r"|admission) (?:was |in )?" + _OLD_YEARS + r"\b"
    # "behind her now", "in the past", "which stopped", "clean for 6 years", "no recent"
    r"|\b(?:has|have|had|'s) been (?:well|fine|stable|settled|ok|okay) (?:since|for)\b[^.,;]*"
    r"|\bbehind (?:her|him|them)(?: now)?\b|\blast (?:one|time|episode|incident|attempt) (?:was )?(?:over "
    r"|more than )?(?:\d+|a|one|many|several|" + _NUMBER_WORDS + r") (?:yrs?|years|decades?) ago\b|\bin the past\b(?!\s+(?:few|couple|week|month|fortnight|days?"
    r"|weeks|months|\d+|two|three))|\b(?:which|that|it|has|had) stopped\b|\bclean (?:for|since)\b"
    r"|\bno recent\b(?!\s+(?:contact|sessions?|appointments?|attendance|news|repl\w+))"
    r"|\bnothing (?:this|in the last) year\b|\bno (?:active|current) (?:SI|SH|risk|concerns?"
    r"|thoughts?)\b|\bno concerns now\b", _I)
# History named as such ("previous OD", "hx of SH", "in 2011") beside a present that is well
# ("now 45 and settled", "future-oriented", "no concerns"): over, when nothing recent is near.
_PAST_MARKER = re.compile(r"\b(?:previous(?:ly)?|past|prior|former|old|hx|history|historic\w*"
                          r"|used to)\b|\b" + _OLD_YEARS + r"\b", _I)
_NOW_WELL = re.compile(r"\b(?:now|currently) (?:\d{1,2} (?:and )?)?(?:well|settled|stable|fine"
                       r"|working|engaged|thriving|doing well)\b|\bfuture[- ]orient\w*"
                       r"|\bprotective factors\b|\bno concerns\b", _I)
# History the words place long ago ("10 years ago", "as a teenager", "in her twenties", "back
# in uni"): over when a negative screen stands beside it ("SA 10 yrs ago, denies current SI").
_LONG_AGO = re.compile(
    r"\b(?:\d+|many|several|a few|some|ten|fifteen|twenty|thirty) (?:\+ )?(?:yrs?|years|decades?)"
    r" ago\b|\b(?:\d+\+|\d+ ?\+) ?(?:yrs?|years) ago\b|\b(?:years|decades|a long time|ages|long)"
    r" ago\b|\bas a (?:teen\w*|child|kid|student|young (?:\w+)|schoolgirl|schoolboy|youngster)\b"
    r"|\bin (?:her|his|their|my) (?:early |mid |late )?(?:teens|twenties|thirties|20s|30s|40s"
    r"|teenage years|youth|school days|student days)\b|\bback (?:in|at) (?:uni|university|college"
    r"|school|high school|\d{4}|the (?:\d0s|day))\b|\b(?:aged?|at age) \d{1,2}\b"
    r"|\bin (?:childhood|adolescence)\b|\bhistoric(?:al|ally)?\b|\bremote\b"
    r"|\b(?:years|decades|a long time|ages|a while) back\b", _I)
# A present age beside a past one ("OD aged 18, now 39"; "she's 34 now") places the history,
# it is not news: set aside before looking for anything recent.
_AGE_NOW = re.compile(r"\bnow (?:aged? )?\d{1,2}\b|\b\d{1,2} (?:(?:yrs?|years) old )?now\b"
                      r"|\bnow (?:works|working|employed|retired|married|studying|lives)\b", _I)
_RECENT = re.compile(
    r"\b(?:again|recent(?:ly)?|last (?:night|week|weekend|month|time)|this (?:week|morning"
    r"|month|weekend|evening|afternoon)|yesterday|today|tonight|just now|now|another one"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    # and what is going on now: "none since, but she wants to die" is not over.
    r"|wants?|wanting|wish(?:es)?|keeps?|has been|'s been|started|starting|planning)\b", _I)


def _sentence(text: str, at: int) -> Tuple[int, str]:
    """The sentence of `text` around position `at`: where it starts, and its words."""
    start = max(text.rfind(mark, 0, at) for mark in ".!?\n") + 1
    ends = [i for i in (text.find(mark, at) for mark in ".!?\n") if i >= 0]
    return start, text[start:min(ends) if ends else len(text)]


def _history_is_over(sentence: str) -> bool:
    """Does the sentence say its history is over (or place it long ago beside a negative
    screen), with nothing recent in it?"""
    if _RESOLVED.search(sentence):
        rest = _RESOLVED.sub(" ", sentence)
    elif _LONG_AGO.search(sentence) and _NEGATIVE_SCREEN.search(sentence):
        rest = _NEGATIVE_SCREEN.sub(" ", _LONG_AGO.sub(" ", sentence))
    elif ((_LONG_AGO.search(sentence) or _PAST_MARKER.search(sentence))
          and (_NEGATIVE_SCREEN.search(sentence) or _NOW_WELL.search(sentence))):
        rest = _NOW_WELL.sub(" ", _NEGATIVE_SCREEN.sub(" ", _LONG_AGO.sub(" ", sentence)))
    else:
        return False
    if _DOUBT.search(sentence):  # "OD aged 15, denies SI but her mum found pills"
        return False
    return not _RECENT.search(_AGE_NOW.sub(" ", rest))


def _is_resolved_history(text: str, at: int) -> bool:
    """Is the mention at `at` history the words say is over, with nothing recent beside it?"""
    return _history_is_over(_sentence(text, at)[1])


def _not_risk_spans(text: str) -> List[Tuple[int, int]]:
    return [m.span() for _, pattern in NOT_RISK for m in pattern.finditer(text)]


def _counts(text: str, match: "re.Match[str]", spans: Sequence[Tuple[int, int]]) -> bool:
    """Does this mention of risk raise a concern: not inside an idiom or an ordinary reason,
    not a topic of work, not denied in the same breath (unless doubt follows), not history
    the words say is over?"""
    if any(start < match.end() and match.start() < end for start, end in spans):
        return False  # "shoot her an email", "saying goodbye to her old job"
    after = text[match.end():]
    if _AS_A_TOPIC.match(after):  # "suicide risk assessment training"
        return False
    if _TOPIC_BEFORE.search(text[max(0, match.start() - 60):match.start()]):
        return False  # "presenting on suicide at grand rounds"
    denied = (_DENIAL.search(text[max(0, match.start() - 50):match.start()])
              or _DENIED_AFTER.match(after))
    if denied and not _DOUBT.search(after):  # "denies SI but I'm not sure" still counts
        return False
    return not _is_resolved_history(text, match.start())


def raises_concern(text: str) -> bool:
    """Do the words raise a concern, rather than only deny one?

    The safety steps are shown either way (see the module's note); a concern is noted in the
    record only when some mention of risk is not denied in the same breath, since "she was
    never suicidal" is not a concern the therapist raised. Idioms, ordinary reasons and
    history the words say is over do not raise one either."""
    text = text or ""
    spans = _not_risk_spans(text)
    return any(_counts(text, match, spans)
               for _, pattern in _ALL_RISK_WORDS for match in pattern.finditer(text))


def forces_safety_gate(text: str) -> bool:
    """Do the words alone bring the safety steps first? Any mention of risk that is not only
    a negative screen (see raises_concern)."""
    return raises_concern(text)


def model_reads_risk(parse: Optional[Mapping[str, Any]], threshold: float = MODEL_THRESHOLD
                     ) -> bool:
    """Does the language model give the message at least `threshold` probability of being a
    risk concern, wherever it ranks it ("she's been giving her things away" has no word of
    RISK_WORDS, but its meaning is near the risk concerns the model was trained on)?"""
    if not parse or threshold <= 0:
        return False
    candidates = [parse.get("intent") or {}, *(parse.get("intent_ranking") or [])]
    return any(c.get("name") == RISK_INTENT and float(c.get("confidence") or 0.0) >= threshold
               for c in candidates)


def speaks_of_risk(text: str, parse: Optional[Mapping[str, Any]] = None,
                   threshold: float = MODEL_THRESHOLD) -> bool:
    """Does the message bring the safety steps first: words of risk that are not only a
    negative screen, or, with no word of risk at all, the model's reading of its meaning. A
    screen the clinician reports as negative ("denies SI") stays negative whatever the model
    makes of it."""
    if raises_concern(text):
        return True
    if not model_reads_risk(parse, threshold):
        return False
    return not _explained_away(text or "")


# Words that, in a part of a message nothing else explains, keep the model's reading of risk
# in play even beside a negative screen or an idiom ("denies SI. mum found the tablets").
_WARNING_WORDS = re.compile(
    r"\b(?:pills?|tablets?|meds|medications?|rope|belt|noose|guns?|rifle|firearms?|knife|knives"
    r"|blades?|razors?|notes?|letters?|goodbyes?|bridge|ledge|cliffs?|tracks|garage|voices?"
    r"|blood|wrists?|insurance|funeral|gave(?! up\b)|giv\w+|hospital|a&e|ambulance|police|die[sd]?"
    r"|dying|dead|death|kill\w*|hurt\w*|harm\w*|suicid\w*|burn\w*|cut\w*|jump\w*"
    r"|overdos\w*|alone|end it|anymore|any more|forever|peace|calm|let(?:ting)? go"
    # everyday words only in the senses that could be risk: a will, not "she will call";
    # "all over", not "over the phone"; "gone for good", not "gone on holiday"
    r"|(?:a|her|his|their|my|the|new|updated) will(?! be)|will and|(?:be|all|is|it'?s|was|get it)"
    r" over|over (?:soon|with|for good)|gone(?! (?:on|to|back|home|away|abroad|out|camping"
    r"|travel\w*|quiet|up|down|well|ok|fine)\b)|sorry(?! (?:for|about) (?:the|missing|being"
    r" late|cancel\w*|the late|the short notice|not (?:coming|calling|turning up)))"
    r"|worr\w+|scared|afraid|frightened|found|out of character|not (?:herself|himself|themselves)"
    r"|be with (?:him|her|them)|join(?:s|ed|ing)? (?:him|her|them)\b|won'?t need|wrote|written|wake"
    r"|sleep(?! (?:is |has |was )?(?:improv\w*|better|ok|okay|fine|good|hygiene))|pain"
    r"|enough(?! (?:time|money|notice|buses|trains|sleep|staff|slots|childcare))"
    r"|tired of(?! (?:the|her|his|their|work|shifts?|commut\w*"
    r"|driving|waiting|travel\w*|night shifts|the bus))|lost(?! (?:her|his|their|my|the)"
    r" (?:phone|keys|wallet|purse|bag|card|way|voice|number|letter|appointment|train|bus)\b)"
    r"|end(?:ing)?(?! (?:of (?:the )?(?:month|week|term|year|day|session|shift|semester|summer"
    r"|school)|(?:therapy|treatment|sessions?|date|time)\b))|ready(?! (?:to (?:re-?book|come back"
    r"|start|return|restart)|for (?:the|her|his|a) (?:session|exam|interview|move)))"
    r"|wants? to(?! (?:re-?book|re-?schedule|book|move|change|switch|swap|cancel|come (?:in|back)"
    r"|work on|keep (?:going|coming|at it|up)|continue|talk (?:about|through|it through)"
    r"|text|e-?mail|call|know|check|ask|attend|join|pay|try (?:telehealth|online|video|phone)"
    r"|do (?:telehealth|online|video|phone)))"
    r")\b", _I)
_CLAUSES = re.compile(r"[.;:!?\n,]+|\s+-\s+|\b(?:but|however|though|although|yet|except)\b"
                      r"|\band\b", _I)


def _explained_away(text: str) -> bool:
    """Is the whole message a negative screen, history that is over, an idiom or an ordinary
    reason, so that the model's reading of risk is set aside? Only when every part of it that
    speaks of anything like risk is one of those: a denial beside a separate disclosure ("denies
    SI; her sister found a stash of tablets") leaves the model's reading standing."""
    spans = _not_risk_spans(text)
    mentions = [m.span() for _, pattern in _ALL_RISK_WORDS for m in pattern.finditer(text)]
    covered = (spans + mentions + [m.span() for m in _NEGATIVE_SCREEN.finditer(text)]
               + [m.span() for m in _RESOLVED.finditer(text)])
    for m in [*_RESOLVED.finditer(text), *_LONG_AGO.finditer(text),
              *_PAST_MARKER.finditer(text)]:  # history that is over
        start, sentence = _sentence(text, m.start())
        if _history_is_over(sentence):
            covered.append((start, start + len(sentence)))
    if not covered:
        return False  # nothing to explain it away: the model's reading stands
    screens = [m.span() for m in _NEGATIVE_SCREEN.finditer(text)] + [
        m.span() for m in [*_RESOLVED.finditer(text), *_LONG_AGO.finditer(text)]]
    start, contrast = 0, False
    for sep in [*_CLAUSES.finditer(text), None]:
        end = sep.start() if sep else len(text)
        clause = text[start:end]
        clause_covered = any(a < end and start < b for a, b in covered)
        if not clause_covered and _WARNING_WORDS.search(clause):
            return False
        # a doubt after a screen or history: "denies SI, but her flatmate is frightened of what
        # she might do" leaves the model's reading standing, unless it only reassures
        if (contrast and not clause_covered and len(clause.split()) >= 3
                and not _REASSURANCE.match(clause)):
            return False
        if sep is not None and sep.group().strip():
            contrast = bool(_CONTRAST.fullmatch(sep.group().strip())) and any(
                a < sep.start() for a, _ in screens)
        start = sep.end() if sep else len(text)
    return True


_CONTRAST = re.compile(r"but|however|though|although|yet|except", _I)
_REASSURANCE = re.compile(
    r"\s*(?:(?:she|he|they|pt|cl|client)(?:'s| is| are|'re| seems?| says? (?:she|he|they)(?:'s| is"
    r"| are))? )?(?:otherwise |generally |overall |really |doing )?(?:fine|ok|okay|well|good|better"
    r"|settled|stable|engaged|coping|safe|happy|positive)\b"
    # or speaks only of attendance: "denies SI but keeps missing sessions"
    r"|[^.]*\b(?:miss(?:ed|es|ing)?|no-?shows?|cancel\w*|DNA'?s?|late|rebook\w*|forgot|forgets)"
    r"\b(?:(?! (?:and|then|so)\b)[^.])*$", _I)


_DOUBT = re.compile(r"\bbut\b(?!\s+(?:none|no\b|nothing|(?:has|have|had) been (?:well|fine|stable|settled)|hasn'?t (?:since|for)|has not (?:since|for)|no longer|not (?:since|for|now|recently)|never|stable"
                    r"|settled|resolved|well\b|denies))|\bnot (?:so |too |that )?sure\b|\bunsure\b"
                    r"|\b(?:until|till|up until) (?:this|last|yesterday|today|recently|now)\b"
                    r"|\b(?:i'?m|i am|still|a bit|quite|really|am)\s+(?:worried|concerned)\b", _I)


def has_risk_history(client: ClientLike) -> bool:
    """Any risk level above "none" on record."""
    return client.risk_level in RISK_HISTORY_LEVELS


def days_absent(summary: AttendanceSummary) -> Optional[int]:
    """Days since the last attended session, or None when the client never attended."""
    if summary.last_attended is None:
        return None
    last = summary.last_attended
    return (summary.today - (last.date() if isinstance(last, datetime) else last)).days


def needs_safety_first(client: ClientLike, summary: AttendanceSummary, text: str = "",
                       rule: SafetyRule = DEFAULT_RULE) -> List[str]:
    """Why the safety steps come first for this client now (empty: they are not needed)."""
    reasons: List[str] = []
    if client.risk_level in rule.levels:
        reasons.append(f"risk level on record is {client.risk_level}")
    mentions = risk_mentions(text) if forces_safety_gate(text) else []
    if mentions:
        reasons.append("your message speaks of " + ", ".join(mentions))
    if has_risk_history(client):
        absent = days_absent(summary)
        history = ("" if client.risk_level in rule.levels
                   else f", with a risk level of {client.risk_level} on record")
        if absent is not None and summary.last_attended and absent >= rule.absence_days:
            last = summary.last_attended.date()
            reasons.append(f"last attended {day(last)} ({ago(last, summary.today)}){history}")
        elif absent is None and summary.total.no_show > 0:
            n = summary.total.no_show
            reasons.append(f"no session attended yet ({plural(n, 'no-show')})"
                           f"{history}")
    return reasons


def contact_channels(client: ClientLike) -> List[str]:
    """The ways to reach the client the consents on file allow ("text message", "phone",
    "e-mail"); a letter by post is always possible and is not listed."""
    return [name for flag, name in _CONTACT if getattr(client, flag)]


def _contact_line(client: ClientLike) -> str:
    channels = contact_channels(client)
    if channels:
        return ("- Try to reach the client now through the channels consented to: "
                + ", ".join(channels) + ". Keep messages brief and about contact only.")
    return ("- No text, phone or e-mail consent is on file. Send a short letter to the address "
            "on file, and talk to your supervisor about whether the concern justifies contact "
            "outside the consented channels; document why.")


def safety_steps(client: ClientLike, summary: AttendanceSummary, reasons: List[str],
                 contacts: ClinicContacts) -> str:
    """The safety steps, before anything administrative, made concrete from the record."""
    lines = [f"Safety first for {client.display_name}, before anything administrative."]
    if reasons:
        lines.append("- Why: " + "; ".join(reasons) + ".")
    if client.last_risk_review:
        lines.append(f"- Review the last risk assessment and safety plan: risk last reviewed "
                     f"{day(client.last_risk_review)} "
                     f"({ago(client.last_risk_review, summary.today)}).")
    else:
        lines.append("- Review the last risk assessment and safety plan: no risk review is on "
                     "record, so make one a priority when you reach the client.")
    lines.append(_contact_line(client))
    if client.emergency_contact_on_file:
        lines.append("- Emergency contact: one is on file. Use it within the consent the client "
                     "gave (check the form's wording before you call).")
    else:
        lines.append("- Emergency contact: none on file, so this route is not available.")
    lines.append("- Consult a colleague or your supervisor today, before deciding on next steps.")
    lines.append("- If you suspect imminent risk and cannot reach the client, ask emergency "
                 f"services ({contacts.emergency_number}) for a welfare check.")
    lines.append(f"- Crisis line to give the client: {contacts.crisis_line}.")
    lines.append("- Document what you knew, what you decided and why, and each contact attempt "
                 "with its date and time.")
    lines.append(f"Why it matters: {WHY_SAFETY_MATTERS}.")
    lines.append("This is decision support, not a risk assessment: the clinical judgement "
                 "is yours.")
    lines.append("Tell me when you have safety in hand and we'll go on.")
    return "\n".join(lines)


REPORTERS = {"therapist": "by you", "relative": "by a relative or someone close to the client",
             "other": "by someone else"}


class ConcernLike(Protocol):
    @property
    def raised_on(self) -> date: ...

    @property
    def reported_by(self) -> str: ...


def concern_reasons(concerns: Sequence[ConcernLike], today: date) -> List[str]:
    """Open concerns raised in the record, as reasons for safety first."""
    return [f"a safety concern was raised {day(c.raised_on)} ({ago(c.raised_on, today)}), "
            f"reported {REPORTERS.get(c.reported_by, 'by someone else')}, and is not yet "
            "marked in hand" for c in concerns]


# Who brought the concern: "her sister called", "mum rang to say ...".
_REPORTED_BY_OTHER = re.compile(
    r"\b(sister|brother|mother|mom|mum|father|dad|partner|husband|wife|boyfriend|girlfriend"
    r"|son|daughter|friend|aunt|uncle|relative|family|cousin|grand(mother|ma|father|pa)"
    r"|roommate|flatmate|neighbou?r|carer|caregiver|fianc[eé]e?)\b", re.I)
_REPORTED_BY_STAFF = re.compile(r"\b(gp|doctor|case ?manager|social worker|police|school"
                                r"|teacher|pharmacist|nurse|er|hospital|front desk|reception)\b",
                                re.I)


# A reporter is one who tells: "her sister rang", "mum says", "per her GP", "the ER called";
# "the front desk sends her a reminder" names the front desk, but reports nothing.
_TELLS = (r"(?:'s|\s+(?:has|had|just|also|then|only|already|finally))?(?:\s+\w+){0,2}?\s+(?:called|calls"
          r"|rang|rings|phoned|phones|said|says|told|tells|emailed|emails|texted|texts|messaged"
          r"|wrote|writes|reported|reports|mentioned|mentions|found|came\s+in|dropped\s+by"
          r"|flagged|raised|let\s+(?:me|us)\s+know|is\s+worried|was\s+worried|worried|thinks"
          r"|saw|sent|left\s+(?:a\s+)?(?:message|vm|voicemail))\b")
_PER = r"\b(?:per|from|according\s+to|via)\s+(?:her|his|their|the|a|pt'?s|client'?s)\s+(?:\w+\s+)?"


def _tells(reporter: "re.Pattern[str]", text: str) -> bool:
    words = reporter.pattern
    return bool(re.search(rf"(?:{words}){_TELLS}", text, re.I)
                or re.search(rf"{_PER}(?:{words})", text, re.I))


def reported_by(text: str) -> str:
    """'relative', 'other' (another professional or service) or 'therapist': who told of the
    concern, named with a word of telling ("her sister rang", "per her GP")."""
    if _tells(_REPORTED_BY_OTHER, text or ""):
        return "relative"
    if _tells(_REPORTED_BY_STAFF, text or ""):
        return "other"
    return "therapist"
