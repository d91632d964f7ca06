"""The policy's running sentences, by key, as catalog messages (English ids; the Swedish and
every other language live in the catalogs of :mod:`varna.texts`).

A composer writes ``w.say("rights.intro")``; fields in braces are filled in from the register and
must survive translation (a test checks it). The keys stay stable so a DPO can find a sentence; the
wording is edited in the catalogs (docs/translating.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from varna.texts.catalog import N_

PHRASES: Mapping[str, str] = {
    "about.controller": N_(
        "{name}{org} is the controller of the processing of personal data described here, "
        "under the General Data Protection Regulation (EU) 2016/679."
    ),
    "about.scope": N_(
        "This notice describes what personal data we process, why, on what legal basis, how "
        "long we keep it, who we share it with and what your rights are. It applies to you if"
        " you belong to one of these groups:"
    ),
    "about.processor": N_(
        "This notice does not cover processing we carry out as a processor on someone else's "
        "behalf ({for_whom}). There that organisation is the controller and its privacy "
        "notice applies. You are welcome to contact us with questions about that processing."
    ),
    "controller.dpo": N_(
        "We have appointed a data protection officer, who monitors that we follow the data "
        "protection rules and whom you can contact with questions about how we process your "
        "personal data:"
    ),
    "marketing.body": N_(
        "We use your personal data for direct marketing{via} ({names}). You have the right to"
        " object to this at any time, free of charge and without giving reasons (Article "
        "21(2) and (3)). We then stop processing your data for direct marketing."
    ),
    "automated.none": N_(
        "We take no decisions about you based solely on automated processing, including "
        "profiling (Article 22)."
    ),
    "automated.legal_effect": N_(
        "The decision may have legal effects for you or similarly significantly affect you. "
        "We take it because {ground} ({art}). You have the right to have a person review the "
        "decision, to express your point of view and to contest the decision (Article 22(3))."
    ),
    "rights.intro": N_(
        "You have the following rights under the General Data Protection Regulation. Using "
        "them costs nothing."
    ),
    "rights.access": N_(
        "You have the right to know whether we process personal data about you and, if we do,"
        " to get a copy of the data and information on how we process it."
    ),
    "rights.rectification": N_(
        "You have the right to have inaccurate data corrected and incomplete data completed."
    ),
    "rights.erasure": N_(
        "You have the right to have your data erased, for example when it is no longer needed"
        " for the purpose or when you withdraw a consent the processing rests on."
    ),
    "rights.erasure_holds": N_(
        "Data the law requires us to keep is erased when that duty ends (see “How long we "
        "keep your data”)."
    ),
    "rights.restriction": N_(
        "You have the right to ask us to restrict the processing, for example while we check "
        "whether the data is accurate."
    ),
    "rights.object": N_(
        "You have the right to object to processing we base on {kinds} ({refs}). We then "
        "continue only if we can show compelling legitimate grounds that override your "
        "interests, or if it is needed to establish, exercise or defend legal claims."
    ),
    "rights.object_marketing": N_(
        "You can object to direct marketing at any time. We then stop it."
    ),
    "rights.portability": N_(
        "For data you have given us that we process by automated means on your consent or the"
        " contract with you ({refs}), you have the right to receive it in a structured, "
        "commonly used and machine-readable format and to have it transmitted to another "
        "controller where technically feasible."
    ),
    "rights.withdraw": N_(
        "Where we process data on your consent ({refs}), you can withdraw it at any time, as "
        "easily as you gave it. This does not affect the lawfulness of the processing before "
        "you withdrew it."
    ),
    "rights.recipients": N_(
        "When we correct, erase or restrict data we tell the recipients who received it, and "
        "we tell you who they are if you ask (Article 19)."
    ),
    "rights.deadline": N_(
        "We answer without undue delay and at the latest within one month. If your request is"
        " complex or we receive many requests, we may extend this by at most two further "
        "months; we then tell you so within the first month and explain why (Article 12(3))."
    ),
    "rights.identity": N_(
        "To protect your data we check that it is you who asks before we disclose or change "
        "anything, and we then ask only for the information needed for that (Article 12(6))."
    ),
    "complaint.body": N_(
        "If you think we process your personal data in breach of the General Data Protection "
        "Regulation, you have the right to lodge a complaint with the supervisory authority "
        "(Article 77):"
    ),
    "complaint.first": N_(
        "You are welcome to contact us first, so that we can try to put it right."
    ),
    "recipients.none": N_("We do not disclose your personal data to anyone else."),
    "recipients.intro": N_(
        "We disclose personal data to the following recipients and categories of recipients."
    ),
    "recipients.processors": N_(
        "Processors process the data on our behalf and only on our instructions (Article 28)."
    ),
    "transfers.none": N_(
        "We process your personal data within the EU/EEA and do not transfer it to countries "
        "outside the EU/EEA."
    ),
    "transfers.intro": N_(
        "Some recipients process data in countries outside the EU/EEA. This is how the data "
        "is protected there:"
    ),
    "transfers.adequacy": N_(
        "The European Commission's adequacy decision for the country (Article 45)."
    ),
    "transfers.copy": N_("You can get a copy of the safeguards by contacting us "),
    "retention.intro": N_(
        "We keep personal data only as long as it is needed for the purpose; how long that is"
        " stands for each kind of processing in the tables above. After that we erase or "
        "anonymise it."
    ),
    "retention.holds": N_("Some data we must keep even if you ask us to erase it:"),
    "security.intro": N_(
        "We protect personal data with technical and organisational measures (Article 32):"
    ),
    "cookies.intro": N_(
        "Our website uses cookies and similar technologies that store or read information on "
        "your device. Strictly necessary cookies are needed for the website to work; we use "
        "the others only if you consent (Swedish Electronic Communications Act (2022:482), "
        "chapter 9 section 28)."
    ),
    "changes.intro": N_("We update this notice when our processing of personal data changes."),
    "changes.notify": N_(
        "When we make material changes, such as new purposes, new recipients or longer "
        "retention, we tell you {channels} and say when the changes take effect."
    ),
    # What the policy says where the register records a fact as unknown, possible, stated only
    # in words or not given: the plain statement, never a stronger claim.
    "about.controller_unnamed": N_(
        "This notice describes how we, as controller under the General Data Protection "
        "Regulation (EU) 2016/679, process personal data. We have not yet given our "
        "company name in it."
    ),
    "controller.no_name": N_("We have not yet given our company name in this notice."),
    "controller.no_address": N_("We have not yet given our postal address in this notice."),
    "controller.no_contact": N_(
        "We have not yet given an e-mail address, telephone number or website in this notice."
    ),
    "contact.unknown": N_("by contacting us (we have not yet stated how to reach us)"),
    "recipients.within_eea": N_("Processes the data within the EU/EEA."),
    "recipients.may_transfer": N_(
        "May in some cases process the data in a country outside the EU/EEA."
    ),
    "recipients.unknown": N_(
        "We have not yet established where this recipient processes the data."
    ),
    "transfers.within_eea_known": N_(
        "The following recipients process the data within the EU/EEA: {names}."
    ),
    "transfers.unknown": N_(
        "We have not yet established where {names} process the data, so we cannot say "
        "whether it is transferred to countries outside the EU/EEA."
    ),
    "transfers.may": N_(
        "In some cases the data may be transferred to and processed in a country outside "
        "the EU/EEA by {names}. We have not stated which countries."
    ),
    "transfers.may_promise": N_("In that case we promise the following: {promise}"),
    "transfers.may_no_safeguard": N_(
        "We have not named a safeguard under Article 46 (such as standard contractual clauses)."
    ),
    "transfers.none_known": N_(
        "We have not named any recipient that processes the data outside the EU/EEA."
    ),
    "transfers.country_unstated": N_("A country outside the EU/EEA (not stated)"),
    "retention.unknown": N_("We have not yet established how long we keep this data."),
    "retention.in_words": N_("The data is kept {text}."),
    "cookies.intro_neutral": N_(
        "Our website uses cookies and similar technologies that store or read information"
        " on your device. Under the Swedish Electronic Communications Act (2022:482), "
        "chapter 9 section 28, cookies other than strictly necessary ones may be used "
        "only with your consent."
    ),
    "cookies.asked_before": N_(
        "We ask for your consent before we use cookies other than strictly necessary ones{tool}."
    ),
    "cookies.tool": N_(" (with the consent tool {tool})"),
    "cookies.browser_settings": N_(
        "You can control cookies by blocking or deleting them in your browser."
    ),
    "cookies.not_asked": N_(
        "The cookies are set when you visit the website, without our asking for your consent first."
    ),
    "cookies.unknown": N_("We have not yet described how we ask for your consent to cookies."),
    "commitments.conditional": N_("{condition}, {text}"),
    "automated.grounds": N_("We take such decisions only {grounds} ({articles})."),
    "automated.ground.contract": N_(
        "where it is necessary for entering into or performing a contract with you"
    ),
    "automated.ground.law": N_("where it is authorised by law"),
    "automated.ground.explicit_consent": N_("where you have given your explicit consent"),
    "controller.other_contacts": N_("You can also reach us here:"),
    "channels.intro": N_("Some rights have their own channel:"),
    "channels.line": N_("{rights}: {via}{formality}."),
    "formality.written": N_(", in writing"),
    "formality.signed": N_(", by a written and signed request"),
    "formality.e_id": N_(", with an electronic identification"),
    "right.access": N_("Access (a copy of your data)"),
    "right.rectification": N_("Rectification"),
    "right.erasure": N_("Erasure"),
    "right.restriction": N_("Restriction"),
    "right.portability": N_("Data portability"),
    "right.objection": N_("Objection"),
    "right.withdraw_consent": N_("Withdrawing consent"),
    "retention.category": N_("{categories} are kept {kept}."),
}
