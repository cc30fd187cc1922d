"""The evidence the advice rests on: every figure and citation, defined here once.

Each comes from the domain brief ("Facts with numbers" and "Rules that bind the advice"); no
other module writes a figure or a citation out, and a test holds the domain's responses to the
same wording. Emergency and crisis numbers are not evidence: they are the clinic's, from
`clinic.yml` (`ClinicContacts`).
"""
from __future__ import annotations

# Citations
OLDHAM = "Oldham et al., J Consult Clin Psychol 2012"
LEE = "Lee 2005"
TELEHEALTH_STUDY = "Psychiatric Services 2024"
SWIFT = "Swift & Greenberg, J Consult Clin Psychol 2012"
SIMS = "Sims, Psychiatric Services 2012"
CLOUGH = "Clough & Casey 2014"
REMINDER_STUDIES = f"{SIMS}; {CLOUGH}"
MCQUEENIE = "McQueenie et al., BMC Medicine 2019"
MOTTO = "Motto & Bostrom, Psychiatric Services 2001"
WEEKDAY_STUDY = "Psychiatric Services 2005"
MISSED_RATES_STUDY = "Psychiatric Quarterly 2022"
MEDICAID_NO_FEE = "42 CFR 447.15"
APA_ENDING = "APA Ethics Code 10.10"
NASW_ENDING = "NASW Code of Ethics 1.17"
ACA_ABANDONMENT = "ACA Code of Ethics 2014 A.12"

CITATIONS = (OLDHAM, LEE, TELEHEALTH_STUDY, SWIFT, SIMS, CLOUGH, MCQUEENIE, MOTTO,
             WEEKDAY_STUDY, MISSED_RATES_STUDY, MEDICAID_NO_FEE, APA_ENDING, NASW_ENDING,
             ACA_ABANDONMENT)

# Figures
RESCHEDULED = ("71.1% of missed visits were rescheduled by the patient, most within two "
               "weeks")
LEAD_TIME_DAYS = 21          # a lead time over 21 days predicts no-shows (OR 2.38), Lee 2005
LEAD_TIME_ODDS = "OR 2.38"
WHAT_WORKS = (f"What works ({OLDHAM}: 31 trials, 4,422 clients, d = 0.38): letting the client "
              "choose the time, motivational interventions, preparing the client for therapy, "
              "information, reminders, case management.")
TELEHEALTH_FINDING = ("gaps in care of over 45 days fell from 35% to 18% after the shift to "
                      "virtual care")
# Given in the brief without a source of its own: said as such, never under another's citation.
PHONE_FINDING = "in one agency, phone sessions beat clinic attendance while video did not"
WHY_SAFETY_MATTERS = (f"missed appointments predict worse outcomes in people with mental "
                      f"illness ({MCQUEENIE}); caring letters to patients who refused ongoing "
                      f"care halved suicides at 2 years ({MOTTO})")
