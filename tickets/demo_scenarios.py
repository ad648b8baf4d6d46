"""Conversation scenarios for the Attune demo data; re-exported by ``tickets.demo_content``.

Each ``Scenario`` is a ticket template that is not tied to any customer: the loader pairs it with
customers from ``tickets.demo_content.CUSTOMERS`` (matching ``language``) and an agent working
its queue. Turn texts may contain ``{{ customer.first_name }}``, ``{{ agent.first_name }}`` and
``{{ ticket.number }}``, which the loader fills in.

``agent_tone`` labels the overall warmth of the agent replies ("cold", "mixed" or "warm"); it is
``None`` only for scenarios with no agent reply yet. Survey results correlate with the tone, but
not perfectly: a warm reply can still earn a low rating because of the product or a policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["customer", "agent", "note"]
Urgency = Literal["low", "normal", "high", "urgent"]
Channel = Literal["web", "email", "api", "agent"]
Status = Literal["new", "open", "pending", "on_hold", "resolved", "closed"]
SurveyReason = Literal["agent", "product", "policy", "time"]
Tone = Literal["cold", "mixed", "warm"]


@dataclass(frozen=True, slots=True)
class Turn:
    """One message in a conversation. ``note`` turns are internal and never shown to customers."""

    role: Role
    text: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Survey:
    """The customer's satisfaction survey answer once the ticket is resolved or closed."""

    rating: int  # 1-5, overall satisfaction
    understood: int  # 1-5, "did you feel understood?"
    comment: str
    reason: SurveyReason | None = None  # only for ratings <= 2


@dataclass(frozen=True, kw_only=True, slots=True)
class Scenario:
    key: str
    queue: str  # Queue.slug
    subject: str
    urgency: Urgency
    channel: Channel
    messages: tuple[Turn, ...]
    final_status: Status
    survey: Survey | None = None
    tags: tuple[str, ...] = ()
    agent_tone: Tone | None = None
    language: str = "en"  # language of the customer's messages


def customer(text: str) -> Turn:
    return Turn("customer", text)


def agent(text: str) -> Turn:
    return Turn("agent", text)


def note(text: str) -> Turn:
    return Turn("note", text)


# --------------------------------------------------------------------------------------------
# Billing
# --------------------------------------------------------------------------------------------

_BILLING: tuple[Scenario, ...] = (
    Scenario(
        key="billing-charged-twice-warm",
        queue="billing",
        subject="Charged twice for November",
        urgency="high",
        channel="web",
        messages=(
            customer(
                "Hi, I just checked our company card and we were charged twice for the November "
                "subscription, same amount, same day. We're a small bakery and that money was "
                "meant for payroll this week. Please can someone look at this quickly?"
            ),
            agent(
                "Hi {{ customer.first_name }}, I can completely understand how frustrating it must "
                "be to be charged twice, especially with payroll due. I've checked and you're "
                "right: our payment provider retried a charge that had already gone through. I've "
                "refunded the duplicate just now. It usually shows within 3 to 5 business days. "
                "I'll check on Friday that it has landed and write to you either way."
            ),
            customer("Thank you, that's a relief. I didn't expect such a quick answer."),
            agent(
                "Checked this morning: the refund has settled on our side and your bank shows it "
                "as pending. You should see it tomorrow at the latest. Sorry again for the worry."
            ),
        ),
        final_status="resolved",
        survey=Survey(
            rating=5,
            understood=5,
            comment="Quick, kind, and they followed up exactly when they said they would.",
        ),
        tags=("double-charge", "refund", "payments"),
        agent_tone="warm",
    ),
    Scenario(
        key="billing-charged-twice-third-time",
        queue="billing",
        subject="Double charge AGAIN",
        urgency="urgent",
        channel="email",
        messages=(
            customer(
                "This is the THIRD time I've written about this!!! You charged us twice in "
                "September, twice in October and now twice again this month. Nobody has answered "
                "my last two emails. This is unacceptable. Fix it or I'm going to cancel."
            ),
            agent(
                "We apologize for any inconvenience. The duplicate charge will be reversed within "
                "5-10 business days. Ticket closed."
            ),
            customer(
                "That's it? No explanation of why it keeps happening, no mention of the other two "
                "months? I'll be talking to my bank instead."
            ),
        ),
        final_status="closed",
        survey=Survey(
            rating=1,
            understood=1,
            comment="Felt like talking to a wall. Three months of double charges and one sentence.",
            reason="agent",
        ),
        tags=("double-charge", "repeat-contact", "churn-risk"),
        agent_tone="cold",
    ),
    Scenario(
        key="billing-vat-number",
        queue="billing",
        subject="Adding our VAT number to invoices",
        urgency="low",
        channel="web",
        messages=(
            customer(
                "Hello, our accountant needs our VAT number printed on every invoice. Is that "
                "possible, and can the October invoice be reissued with it?"
            ),
            agent(
                "Yes to both. You can add it under Settings > Billing > Tax details and it will be "
                "printed on all future invoices. I've reissued October's invoice with the number; "
                "you'll find the new PDF in Billing > Invoices."
            ),
            customer("Perfect, thanks."),
        ),
        final_status="resolved",
        survey=Survey(rating=4, understood=4, comment="Exactly what I needed."),
        tags=("invoice", "tax"),
        agent_tone="mixed",
    ),
    Scenario(
        key="billing-download-invoices",
        queue="billing",
        subject="Where are past invoices?",
        urgency="low",
        channel="web",
        messages=(
            customer("Where can I download our invoices from last year?"),
            agent(
                "Under Billing > Invoices. Use the year filter at the top; each row has a PDF "
                "download link."
            ),
        ),
        final_status="resolved",
        tags=("invoice", "how-to"),
        agent_tone="mixed",
    ),
    Scenario(
        key="billing-price-increase-cancel",
        queue="billing",
        subject="40% price increase?",
        urgency="normal",
        channel="email",
        messages=(
            customer(
                "We just got the renewal notice and the price has gone up by 40 percent. Nobody "
                "warned us. We've been customers for four years. If this is how you treat loyal "
                "customers I'm going to cancel and move everything elsewhere."
            ),
            agent(
                "Hi {{ customer.first_name }}, the new pricing was announced by e-mail in August "
                "and applies to all plans at renewal. That said, as a long-standing customer you "
                "can lock in the old monthly price for twelve months if you switch to annual "
                "billing before your renewal date. Would you like me to set that up?"
            ),
            customer(
                "I never saw any e-mail in August. Send me the numbers for annual and I'll think."
            ),
            agent(
                "Understood. I've attached a comparison of your current cost, the new monthly "
                "price and the annual option. The offer is open until the 30th."
            ),
        ),
        final_status="pending",
        tags=("pricing", "renewal", "churn-risk"),
        agent_tone="mixed",
    ),
    Scenario(
        key="billing-annual-refund-policy",
        queue="billing",
        subject="Refund for the rest of our annual plan",
        urgency="normal",
        channel="web",
        messages=(
            customer(
                "We paid for a year in August, but our project was cancelled and the team has been "
                "disbanded. We won't use the service any more. Can we get a refund for the "
                "remaining nine months? It's a lot of money for a small studio."
            ),
            agent(
                "Hi {{ customer.first_name }}, I'm sorry about the project; that's a hard thing "
                "for a small studio. So if I understand correctly, you'd like to stop now and "
                "recover what you can for the unused months? Our terms don't allow cash refunds on "
                "annual plans after 30 days, and I won't pretend otherwise. What I can do is "
                "convert the remaining months into credit that never expires, or pause the account "
                "at no cost."
            ),
            customer("Credit doesn't help us much. I'll take the pause, I suppose."),
            agent(
                "Done: the account is paused and your data stays safe. If you start a new project, "
                "reply here and I'll unpause it the same day."
            ),
        ),
        final_status="closed",
        survey=Survey(
            rating=2,
            understood=4,
            comment="The agent was kind and honest, but the refund rule is unfair to small teams.",
            reason="policy",
        ),
        tags=("refund", "annual-plan", "policy"),
        agent_tone="warm",
    ),
    Scenario(
        key="billing-card-declined-cold",
        queue="billing",
        subject="Card declined but bank says it's fine",
        urgency="high",
        channel="web",
        messages=(
            customer(
                "Our renewal payment failed and now there's a red banner saying the account will "
                "be suspended in 3 days. I called my bank and they say the card is fine and they "
                "saw no attempt. What's going on?"
            ),
            agent(
                "You should have updated your card details before the renewal date, as stated in "
                "the reminder e-mails we sent."
            ),
            customer(
                "I DID update them, two weeks ago. The new card is the one on file. Can you "
                "actually look at it?"
            ),
            agent("Just try the payment again from the billing page."),
            customer("Tried again and it went through. Would have been nice to hear that first."),
        ),
        final_status="resolved",
        survey=Survey(
            rating=2,
            understood=2,
            comment="Got blamed for something I had already done.",
            reason="agent",
        ),
        tags=("payments", "card-declined"),
        agent_tone="cold",
    ),
    Scenario(
        key="billing-deactivated-seats",
        queue="billing",
        subject="Do deactivated users count as seats?",
        urgency="low",
        channel="email",
        messages=(
            customer("Quick one: do deactivated users still count towards our seat total?"),
            agent(
                "No, only active users are billed. Deactivated users drop off at the next invoice "
                "and their history is kept."
            ),
        ),
        final_status="resolved",
        survey=Survey(rating=4, understood=4, comment="Short and clear."),
        tags=("seats", "how-to"),
        agent_tone="mixed",
    ),
    Scenario(
        key="billing-wrong-invoice-address",
        queue="billing",
        subject="Invoice shows our old address",
        urgency="normal",
        channel="email",
        messages=(
            customer(
                "We moved offices in the summer and updated the address in our profile, but the "
                "last two invoices still show the old one. Our finance team can't book them like "
                "this. Please correct and reissue."
            ),
            agent(
                "Invoices use the billing address, which is separate from the profile address. You "
                "should have changed it under Billing > Details. Invoices that are already issued "
                "cannot be changed."
            ),
            note(
                "Finance CAN regenerate issued invoices if the customer asks within 90 days; both "
                "of these qualify. Asked Helen to approve, parking on hold until she does."
            ),
            customer("So we just have to live with invoices our auditors will reject?"),
        ),
        final_status="on_hold",
        tags=("invoice", "address"),
        agent_tone="cold",
    ),
    Scenario(
        key="billing-german-purchase-order",
        queue="billing",
        subject="Bestellnummer fehlt auf der Rechnung",
        urgency="normal",
        channel="email",
        language="de",
        messages=(
            customer(
                "Guten Tag, auf unserer Rechnung vom Oktober fehlt die Bestellnummer. Ohne diese "
                "Nummer kann unsere Buchhaltung die Rechnung leider nicht bezahlen. Können Sie die "
                "Rechnung bitte mit der Bestellnummer 4500-2291 neu ausstellen? Vielen Dank."
            ),
            agent(
                "Guten Tag {{ customer.first_name }}, vielen Dank für den Hinweis, und ich "
                "verstehe gut, dass die Buchhaltung die Rechnung so nicht bearbeiten kann. Ich "
                "habe die Rechnung mit der Bestellnummer 4500-2291 neu ausgestellt; Sie finden sie "
                "unter Billing > Invoices. Die Nummer ist jetzt auch für künftige Rechnungen "
                "hinterlegt. Viele Grüße, {{ agent.first_name }}"
            ),
            customer("Wunderbar, das ging schnell. Danke!"),
        ),
        final_status="resolved",
        survey=Survey(rating=5, understood=5, comment="Schnell und freundlich, danke!"),
        tags=("invoice", "purchase-order", "german"),
        agent_tone="warm",
    ),
    Scenario(
        key="billing-nonprofit-discount",
        queue="billing",
        subject="Discount for charities?",
        urgency="low",
        channel="web",
        messages=(
            customer(
                "We're a registered charity running adult literacy classes. Do you offer any "
                "discount for non-profits? Our budget is very tight this year."
            ),
            agent(
                "Hi {{ customer.first_name }}, thank you for the work you do. We do: registered "
                "charities get 50% off any plan. Could you reply with your registration number or "
                "a link to your entry in the charity register? As soon as I have it I'll apply the "
                "discount, backdated to your last invoice."
            ),
        ),
        final_status="pending",
        tags=("discount", "non-profit"),
        agent_tone="warm",
    ),
    Scenario(
        key="billing-downgrade-still-charged",
        queue="billing",
        subject="Downgraded but still charged premium",
        urgency="normal",
        channel="web",
        messages=(
            customer(
                "I downgraded to the standard plan on the 3rd but this month's invoice is for "
                "premium again. Why am I paying for something I cancelled?"
            ),
            agent(
                "Hi {{ customer.first_name }}, our records show the downgrade on the 3rd, after "
                "the invoice for this month was generated on the 1st, so the premium charge was "
                "correct at the time. As a goodwill gesture I've credited the difference to your "
                "next invoice."
            ),
            customer("Fine. Nobody told me about an invoice cut-off, though."),
            agent("Fair point. I've passed that on so the downgrade screen shows the date."),
        ),
        final_status="resolved",
        survey=Survey(
            rating=3,
            understood=3,
            comment="Sorted in the end, but it felt like I had to argue for it.",
        ),
        tags=("downgrade", "credit"),
        agent_tone="mixed",
    ),
    Scenario(
        key="billing-currency-cold",
        queue="billing",
        subject="Can we be invoiced in euros?",
        urgency="low",
        channel="email",
        messages=(
            customer(
                "We signed up while our office was in London, so we're billed in pounds. We've "
                "moved to Lisbon and the conversion fees add up every month. Could we switch to "
                "euros?"
            ),
            agent(
                "The billing currency is fixed at sign-up, as stated in our terms of service. It "
                "cannot be changed on an existing subscription."
            ),
            customer("That's a shame. Is there really no way, even at renewal?"),
            agent("No. You would need to open a new account."),
        ),
        final_status="closed",
        survey=Survey(
            rating=2,
            understood=2,
            comment="A silly rule, and nobody tried to find a way round it.",
            reason="policy",
        ),
        tags=("currency", "policy"),
        agent_tone="cold",
    ),
)

# --------------------------------------------------------------------------------------------
# Technical
# --------------------------------------------------------------------------------------------

_TECHNICAL: tuple[Scenario, ...] = (
    Scenario(
        key="technical-outage-dashboard-warm",
        queue="technical",
        subject="Dashboard down, whole team blocked",
        urgency="urgent",
        channel="web",
        messages=(
            customer(
                "Nothing has loaded since 9am. The dashboard just spins and then shows an error. "
                "We have 30 people on shift who can't see a single ticket. Is this on your side?"
            ),
            agent(
                "Hi {{ customer.first_name }}, yes, this is on our side and I'm really sorry: "
                "thirty people unable to work is serious. Our engineers are already on it. I'll "
                "post an update here every 30 minutes until it's fixed, even if there's no news, "
                "so you can keep your team informed."
            ),
            note(
                "Linked to incident 4471 (database failover in eu-west). Customer is VIP; Kenji "
                "asked for half-hourly updates on all VIP tickets until resolved."
            ),
            agent(
                "Update: the service has been back for 20 minutes and everything is stable. The "
                "cause was a failed database switchover. We'll publish a full write-up within 48 "
                "hours and I'll send you the link personally."
            ),
            customer("Thanks for keeping us in the loop. The updates really helped."),
        ),
        final_status="resolved",
        survey=Survey(
            rating=4,
            understood=5,
            comment="The outage was painful, but the updates were honest and frequent.",
        ),
        tags=("outage", "incident", "vip"),
        agent_tone="warm",
    ),
    Scenario(
        key="technical-outage-browser-blame",
        queue="technical",
        subject="Is the service down?",
        urgency="urgent",
        channel="email",
        messages=(
            customer(
                "Nobody in our office can load anything. Every page gives a 503 error. Is the "
                "service down?"
            ),
            agent("Just restart it."),
            customer("Restart what? It's your server giving the error, not ours."),
            agent(
                "Calm down, it's obviously a browser problem. Clear your cache and cookies and try "
                "again."
            ),
            customer(
                "Your own status page now says 'major outage'. I'd like an apology, not a lecture "
                "about cookies."
            ),
        ),
        final_status="closed",
        survey=Survey(
            rating=1,
            understood=1,
            comment="They told me to calm down during an outage they caused.",
            reason="agent",
        ),
        tags=("outage", "complaint"),
        agent_tone="cold",
    ),
    Scenario(
        key="technical-export-stalls-at-40",
        queue="technical",
        subject="Export never finishes",
        urgency="high",
        channel="web",
        messages=(
            customer(
                "Our weekly export has worked for a year. Since Monday it stops and never "
                "finishes. We need that file for our board report on Friday and I'm starting to "
                "panic a bit."
            ),
            agent(
                "Hi {{ customer.first_name }}, I understand, with the board report on Friday this "
                "is worrying. So if I understand correctly, the export worked until Monday and now "
                "stops at 40%? Could you tell me whether anything changed on your side around "
                "then, such as new fields or large attachments?"
            ),
            customer(
                "Yes, exactly 40%. We did start attaching scanned contracts on Monday, some are "
                "quite big."
            ),
            note(
                "Reproduced with 60k rows plus attachments over 2 GB: the export worker times out. "
                "Filed as ENG-2231. Workaround: export without attachments."
            ),
            agent(
                "That was the missing piece, thank you. Large attachments make the export time "
                "out, and I've escalated it to engineering. For Friday, exporting without "
                "attachments works today; I tested it on a copy of your data. I'll personally "
                "follow up by Thursday with news on the full fix."
            ),
        ),
        final_status="on_hold",
        tags=("export", "escalated", "data"),
        agent_tone="warm",
    ),
    Scenario(
        key="technical-lost-notes-sad",
        queue="technical",
        subject="Lost three hours of work",
        urgency="high",
        channel="web",
        messages=(
            customer(
                "I spent three hours writing case notes for a family I work with and when I hit "
                "save the page refreshed and everything was gone. I honestly could cry. Is there "
                "any way to get it back?"
            ),
            agent(
                "Hi {{ customer.first_name }}, I'm so sorry. I understand how upsetting it is to "
                "lose hours of careful work like that, and I'll do everything I can. Could you "
                "tell me what you were doing just before the page refreshed, and roughly what time "
                "it was? Drafts are autosaved every few minutes, so there may be a copy."
            ),
            customer("Around 4:15pm. I was adding a second attachment when it happened."),
            agent(
                "I found an autosaved draft from 4:02pm and restored it to the case. It's missing "
                "the last part, but most of your notes are back. The refresh was caused by a bug "
                "with a second attachment; it's fixed as of today."
            ),
        ),
        final_status="resolved",
        survey=Survey(
            rating=4,
            understood=5,
            comment="Only got most of it back, but they really tried and were kind about it.",
        ),
        tags=("data-loss", "autosave", "bug"),
        agent_tone="warm",
    ),
    Scenario(
        key="technical-import-deleted-records",
        queue="technical",
        subject="Import deleted our contacts",
        urgency="urgent",
        channel="email",
        messages=(
            customer(
                "We ran the contact import this morning and about 800 existing contacts are gone. "
                "This is our whole customer list. Please restore them."
            ),
            agent(
                "As stated in our documentation, you should have taken a backup before running a "
                "bulk import with 'replace existing' selected. Deleted records cannot be restored "
                "by support."
            ),
            customer(
                "Unacceptable. Nothing on the import screen warned us it would delete anything. "
                "We're a paying premium customer."
            ),
        ),
        final_status="closed",
        survey=Survey(
            rating=1,
            understood=2,
            comment="Lost our contacts and got a link to the manual.",
            reason="agent",
        ),
        tags=("data-loss", "import", "churn-risk"),
        agent_tone="cold",
    ),
    Scenario(
        key="technical-slow-search",
        queue="technical",
        subject="Search takes 20 seconds",
        urgency="normal",
        channel="web",
        messages=(
            customer(
                "Searching for a ticket takes 15 to 20 seconds, sometimes longer. It used to be "
                "instant."
            ),
            agent(
                "Thanks for reporting it. Which searches are slow: all of them, or ones with "
                "filters? And roughly when did it start?"
            ),
            customer("Mostly when I filter by tag. Started maybe two weeks ago."),
            agent(
                "That matches what we found: the tag filter was missing an index after a recent "
                "update. It was deployed an hour ago; tag searches should be under a second again. "
                "Let me know if you still see delays."
            ),
        ),
        final_status="resolved",
        survey=Survey(rating=4, understood=3, comment="Fixed quickly once they found it."),
        tags=("performance", "search"),
        agent_tone="mixed",
    ),
    Scenario(
        key="technical-slow-still-not-fixed",
        queue="technical",
        subject="Re: Re: Re: Reports still slow",
        urgency="high",
        channel="email",
        messages=(
            customer(
                "Still not fixed. Reports take over a minute to load, it's been three weeks, and "
                "every reply says 'engineering is looking into it'. When will it actually be "
                "fixed?"
            ),
            agent(
                "We apologize for any inconvenience. Engineering is aware of the issue. We will "
                "update you when we have more information."
            ),
            note(
                "Third follow-up from this customer. No ETA from engineering on the report query "
                "rewrite. Someone needs to give them a real answer or a workaround."
            ),
        ),
        final_status="open",
        tags=("performance", "reports", "repeat-contact"),
        agent_tone="cold",
    ),
    Scenario(
        key="technical-api-rate-limit",
        queue="technical",
        subject="429 responses below documented limit",
        urgency="normal",
        channel="api",
        messages=(
            customer(
                "Our sync job gets HTTP 429 from the tickets endpoint at about 70 requests per "
                "minute. The docs say the limit is 120. Which is right?"
            ),
            agent(
                "The limit is per token: 60 per minute on standard plans and 120 on premium. The "
                "docs only mentioned the premium figure; they've been corrected. The Retry-After "
                "header tells you how long to wait."
            ),
        ),
        final_status="resolved",
        survey=Survey(
            rating=4, understood=4, comment="Straight answer. The docs were wrong, though."
        ),
        tags=("api", "rate-limit", "docs"),
        agent_tone="mixed",
    ),
    Scenario(
        key="technical-webhook-signature",
        queue="technical",
        subject="Webhook signature check fails",
        urgency="normal",
        channel="api",
        messages=(
            customer(
                "Since yesterday every webhook we receive fails our signature check. We haven't "
                "changed anything. Did you rotate something?"
            ),
            agent(
                "We did rotate webhook signing secrets yesterday for accounts created before 2024; "
                "a notice went to admins last month. The new secret is under Settings > "
                "Integrations > Webhooks. Can you confirm whether you're using the new one?"
            ),
            note(
                "The rotation notice bounced for this org (their admin address no longer exists). "
                "Not their fault; be generous if they ask for a replay of missed events."
            ),
        ),
        final_status="pending",
        tags=("webhooks", "integration"),
        agent_tone="mixed",
    ),
    Scenario(
        key="technical-mobile-crash-robotic",
        queue="technical",
        subject="App crashes when opening attachments",
        urgency="normal",
        channel="web",
        messages=(
            customer(
                "The mobile app closes every time I tap on a PDF attachment. I'm on the latest "
                "version."
            ),
            agent(
                "Please reinstall the application and clear the cache. If the problem persists, "
                "please contact support."
            ),
            customer("I AM contacting support. I already reinstalled it twice."),
            agent("The issue has been forwarded to the relevant team. Ticket closed."),
        ),
        final_status="closed",
        survey=Survey(
            rating=2,
            understood=1,
            comment="Copy-paste answers. Nobody read what I wrote.",
            reason="agent",
        ),
        tags=("mobile", "crash", "attachments"),
        agent_tone="cold",
    ),
    Scenario(
        key="technical-notifications-missing",
        queue="technical",
        subject="Not getting notification e-mails",
        urgency="normal",
        channel="web",
        messages=(
            customer(
                "I think I've stopped getting e-mails when customers reply? Or maybe only some of "
                "them? Sorry, I'm a bit confused about what's supposed to happen."
            ),
            agent(
                "No need to apologise, {{ customer.first_name }}, I understand; it is confusing. "
                "Could you tell me about the last reply you expected to hear about but didn't? "
                "Which ticket was it, and roughly when did the customer write?"
            ),
            customer("Ticket about the boiler warranty, yesterday afternoon. Nothing arrived."),
            agent(
                "Thank you, that helped. Our e-mail was delivered, but your company's mail filter "
                "moved it to quarantine. I've sent your IT team the sender details to allow. "
                "Notifications should arrive normally from now on; I'll check with you on Monday."
            ),
        ),
        final_status="resolved",
        survey=Survey(rating=5, understood=5, comment="Patient and explained it without jargon."),
        tags=("notifications", "email-delivery"),
        agent_tone="warm",
    ),
    Scenario(
        key="technical-attachment-limit",
        queue="technical",
        subject="Can't attach a 30 MB file",
        urgency="low",
        channel="web",
        messages=(
            customer("When I attach a 30 MB drawing it just says 'upload failed'."),
            agent(
                "As stated in our documentation, the attachment limit is 25 MB. You should have "
                "compressed the file first."
            ),
            customer("OK. The error message could say that."),
        ),
        final_status="resolved",
        survey=Survey(rating=3, understood=2, comment="Answer was correct, tone was not."),
        tags=("attachments", "limits"),
        agent_tone="cold",
    ),
    Scenario(
        key="technical-sso-certificate",
        queue="technical",
        subject="SSO sign-in broken after certificate renewal",
        urgency="high",
        channel="email",
        messages=(
            customer(
                "We renewed the signing certificate on our identity provider this morning and now "
                "nobody can sign in with SSO. Error: 'invalid response signature'."
            ),
            agent(
                "That error means we still have your old certificate. Upload the new one under "
                "Settings > Security > SAML; the old one can stay as secondary until the switch is "
                "done. Password sign-in for admins still works if you need it meanwhile."
            ),
            customer("Uploaded it and sign-in works again. Thanks."),
        ),
        final_status="resolved",
        survey=Survey(rating=4, understood=4, comment="Fast and precise."),
        tags=("sso", "saml", "login"),
        agent_tone="mixed",
    ),
    Scenario(
        key="technical-spanish-upload-error",
        queue="technical",
        subject="Error al subir archivos",
        urgency="normal",
        channel="email",
        language="es",
        messages=(
            customer(
                "Hola, cuando intento subir un archivo a una reserva me sale un error y no se "
                "guarda nada. Lo he intentado con varios archivos. ¿Me pueden ayudar? Es urgente "
                "porque el cliente llega mañana."
            ),
            agent(
                "Hola {{ customer.first_name }}, gracias por escribirnos. Entiendo la prisa con el "
                "cliente llegando mañana. ¿Me podría decir qué tipo de archivos son y el mensaje "
                "exacto del error?"
            ),
            customer("Son fotos del pasaporte en formato HEIC. El error dice 'tipo no permitido'."),
            agent(
                "Gracias, eso lo explica. Hoy el formato HEIC no está permitido; si las guarda "
                "como JPG se suben sin problema. Ya he pedido al equipo que acepte HEIC y le "
                "avisaré cuando esté disponible."
            ),
        ),
        final_status="resolved",
        survey=Survey(
            rating=4, understood=4, comment="Rápido y amable. Espero que acepten HEIC pronto."
        ),
        tags=("attachments", "file-types", "spanish"),
        agent_tone="warm",
    ),
    Scenario(
        key="technical-csv-accents-garbled",
        queue="technical",
        subject="Names look strange after import",
        urgency="low",
        channel="web",
        messages=(
            customer(
                "I imported our client list and now names like José and Müller show up with weird "
                "symbols instead of the accents. Did I break something?"
            ),
            agent(
                "You didn't break anything. The file was saved in an older encoding. If you save "
                "it again as 'CSV UTF-8' from your spreadsheet program and re-import with 'update "
                "existing' selected, the names will be corrected in place."
            ),
            customer("That fixed it, thank you!"),
        ),
        final_status="resolved",
        survey=Survey(rating=4, understood=3, comment="Clear instructions."),
        tags=("import", "encoding"),
        agent_tone="mixed",
    ),
    Scenario(
        key="technical-sync-delay-slow-reply",
        queue="technical",
        subject="Calendar sync stopped",
        urgency="normal",
        channel="email",
        messages=(
            customer(
                "Appointments created in the app haven't appeared in our shared calendar since "
                "last Tuesday."
            ),
            customer("Following up. Still no sync, and still no reply after four days."),
            agent(
                "Hi {{ customer.first_name }}, I'm sorry you waited six days for a reply; that's "
                "not acceptable and I understand why you're frustrated. The sync token for your "
                "calendar had expired. I've renewed it and replayed the missing week, so all "
                "appointments since Tuesday should now be in the calendar. Could you check a "
                "couple and let me know?"
            ),
            customer("They're there now. Thanks, but six days is a long time for us."),
        ),
        final_status="resolved",
        survey=Survey(
            rating=2,
            understood=4,
            comment="Nice once they answered, but it took six days.",
            reason="time",
        ),
        tags=("integration", "calendar", "slow-response"),
        agent_tone="warm",
    ),
    Scenario(
        key="technical-monitoring-alert-new",
        queue="technical",
        subject="Webhook deliveries failing 100%",
        urgency="urgent",
        channel="api",
        messages=(
            customer(
                "Automated alert from our monitoring: 0 of 214 webhook deliveries received in the "
                "last 30 minutes. Endpoint is healthy on our side."
            ),
            customer(
                "Following up manually: this is blocking order processing in our warehouse. Please "
                "call back on the number in our account."
            ),
        ),
        final_status="new",
        tags=("webhooks", "outage"),
    ),
    Scenario(
        key="technical-unclear-error-mixed",
        queue="technical",
        subject="Error 'sync conflict' on saving",
        urgency="normal",
        channel="web",
        messages=(
            customer(
                "Sometimes when I save a ticket it says 'sync conflict' and my change is lost. "
                "What does that mean?"
            ),
            agent(
                "It means a colleague edited the same ticket while you had it open. Reload the "
                "page and make your change again."
            ),
            customer("It happens several times a day, though. Can't it just merge the changes?"),
            agent(
                "Not at the moment. I'll add your vote to the request for live co-editing. In the "
                "meantime, the 'someone else is viewing' badge shows when it could happen."
            ),
        ),
        final_status="closed",
        survey=Survey(rating=3, understood=3, comment="OK answer, but the problem is still there."),
        tags=("sync", "collision"),
        agent_tone="mixed",
    ),
    Scenario(
        key="technical-contact-form-blame",
        queue="technical",
        subject="Website contact form no longer creates tickets",
        urgency="high",
        channel="web",
        messages=(
            customer(
                "Since Wednesday, messages sent through the contact form on our website don't "
                "arrive as tickets. We've probably lost two days of customer enquiries."
            ),
            agent(
                "That's a problem with your website, not with us. You should have contacted your "
                "web developer first."
            ),
            customer(
                "We did. Our developer says your API answers every request with error 500 since "
                "Wednesday. Could someone please actually check?"
            ),
            agent("Just check that your API key is still valid."),
            note(
                "Their developer is right: the forms endpoint has returned 500 for requests with "
                "an empty phone field since Wednesday's release. Bug filed; please apologise and "
                "offer to replay the failed submissions from our logs."
            ),
        ),
        final_status="open",
        tags=("api", "contact-form", "bug"),
        agent_tone="cold",
    ),
)

# --------------------------------------------------------------------------------------------
# Accounts & access
# --------------------------------------------------------------------------------------------

_ACCOUNTS: tuple[Scenario, ...] = (
    Scenario(
        key="accounts-locked-out-deadline",
        queue="accounts",
        subject="Locked out, report due at 5pm",
        urgency="urgent",
        channel="web",
        messages=(
            customer(
                "Please help. I'm locked out after too many password attempts and my quarterly "
                "report is due to the regulator at 5pm today. Everything I need is in there. I "
                "don't know what to do."
            ),
            agent(
                "Hi {{ customer.first_name }}, I understand how stressful this is with a deadline "
                "in a few hours, so let's get you in right now. I've lifted the lock and sent a "
                "one-time sign-in link to your work address; it's valid for 30 minutes. I'll stay "
                "on this ticket until you confirm you're in."
            ),
            customer("I'm in. Thank you so much, I could hug you."),
            agent("So glad to hear it. Good luck with the report!"),
        ),
        final_status="resolved",
        survey=Survey(rating=5, understood=5, comment="Saved my day. Fast and calm."),
        tags=("login", "lockout", "deadline"),
        agent_tone="warm",
    ),
    Scenario(
        key="accounts-lost-2fa-phone",
        queue="accounts",
        subject="Lost my phone, can't get 2FA code",
        urgency="high",
        channel="email",
        messages=(
            customer(
                "My phone was stolen on Saturday and with it the authenticator app. I can't sign "
                "in. I don't have the backup codes. What can I do?"
            ),
            agent(
                "As stated in our security policy, you should have saved your backup codes when "
                "you set up two-factor authentication. We cannot disable two-factor without them."
            ),
            customer(
                "So I'm locked out forever? All my work is in there. I had my phone stolen, it's "
                "not like I planned this."
            ),
            note(
                "This is wrong: if their org admin confirms identity we can reset 2FA (process "
                "ACC-7). Reopening. Please reply with the real options and an apology."
            ),
        ),
        final_status="open",
        tags=("2fa", "login", "security"),
        agent_tone="cold",
    ),
    Scenario(
        key="accounts-reset-email-missing",
        queue="accounts",
        subject="Password reset e-mail never arrives",
        urgency="normal",
        channel="web",
        messages=(
            customer("I've requested a password reset three times and no e-mail has arrived."),
            agent(
                "Hi {{ customer.first_name }}, sorry about that. The reset e-mails went out but "
                "were rejected by your mail server. I've sent a reset link to the same address "
                "from our backup sender. If that doesn't arrive in ten minutes, please check spam, "
                "or reply here and I'll set a temporary password with you."
            ),
            customer("Got it this time, thanks."),
        ),
        final_status="resolved",
        survey=Survey(rating=4, understood=4, comment="Worked on the second try."),
        tags=("password-reset", "email-delivery"),
        agent_tone="mixed",
    ),
    Scenario(
        key="accounts-phishing-check-warm",
        queue="accounts",
        subject="Is this e-mail really from you?",
        urgency="high",
        channel="email",
        messages=(
            customer(
                "I got an e-mail saying my account will be deleted unless I 'confirm my password' "
                "at a link. The address looks a bit off. I clicked the link but didn't type "
                "anything. Is this you? I'm worried I've done something stupid."
            ),
            agent(
                "Hi {{ customer.first_name }}, you were right to check, and I understand why it "
                "worried you. You haven't done anything stupid: that e-mail is not from us, it's a "
                "phishing attempt. Since you didn't enter anything, your account is safe. I've "
                "checked your sign-in history and see nothing unusual. As a precaution you could "
                "change your password and turn on two-factor; I'm happy to walk you through it."
            ),
            note(
                "Fake domain reported to the security team; they've asked the registrar to take it "
                "down. Three more customers reported the same e-mail today."
            ),
            customer("Phew. Thank you for being so reassuring. I've switched on two-factor now."),
        ),
        final_status="resolved",
        survey=Survey(rating=5, understood=5, comment="Made me feel safe instead of silly."),
        tags=("security", "phishing"),
        agent_tone="warm",
    ),
    Scenario(
        key="accounts-suspicious-login-cold",
        queue="accounts",
        subject="Sign-in from another country?",
        urgency="high",
        channel="web",
        messages=(
            customer(
                "I got an alert about a sign-in to my account from a country I've never been to. "
                "Was my data accessed? Our account has patient information in it."
            ),
            agent("Just change your password."),
            customer(
                "That's all? I asked whether data was accessed. We may have to report this. Who "
                "can tell me what that session did?"
            ),
        ),
        final_status="closed",
        survey=Survey(
            rating=1,
            understood=2,
            comment="A possible breach, and I got four words back.",
            reason="agent",
        ),
        tags=("security", "suspicious-login"),
        agent_tone="cold",
    ),
    Scenario(
        key="accounts-gdpr-access-request",
        queue="accounts",
        subject="Subject access request (GDPR)",
        urgency="normal",
        channel="email",
        messages=(
            customer(
                "Under Article 15 GDPR I request a copy of all personal data you hold about me, "
                "including logs and any data shared with third parties."
            ),
            agent(
                "Hi {{ customer.first_name }}, we've received your request and will complete it "
                "within 30 days. To protect your data, please confirm it's you by replying from "
                "the e-mail address on the account, which you've already done, so nothing more is "
                "needed."
            ),
            note("Legal hold check done: none. Export queued; the processor list is attached."),
            agent(
                "Your data export is ready. The download link is valid for seven days and includes "
                "your profile, tickets, sign-in logs and the list of processors we use."
            ),
        ),
        final_status="resolved",
        survey=Survey(rating=4, understood=4, comment="Efficient and within the deadline."),
        tags=("gdpr", "data-request", "privacy"),
        agent_tone="mixed",
    ),
    Scenario(
        key="accounts-gdpr-erasure",
        queue="accounts",
        subject="Please delete all my data",
        urgency="normal",
        channel="web",
        messages=(
            customer("I've left the company. Please delete everything you have about me."),
            agent(
                "Hi {{ customer.first_name }}, of course. So I do exactly what you want: do you "
                "mean your personal profile and sign-in data, or also the tickets you wrote for "
                "your former employer? Those belong to their account, so I'd need to anonymise "
                "them rather than delete them. Invoices must be kept for ten years by law, but "
                "your name will be removed from everything else."
            ),
            customer("Profile and anything with my name. Anonymising is fine."),
            agent(
                "Done. Your profile is deleted and your name is removed from 212 tickets. You'll "
                "get one final confirmation e-mail, and then we won't contact you again."
            ),
        ),
        final_status="closed",
        survey=Survey(
            rating=3, understood=4, comment="Understood the law bit, I still wish it was all gone."
        ),
        tags=("gdpr", "erasure", "privacy"),
        agent_tone="warm",
    ),
    Scenario(
        key="accounts-ownership-after-death",
        queue="accounts",
        subject="Transferring the account after our founder's death",
        urgency="normal",
        channel="email",
        messages=(
            customer(
                "Our founder passed away last month. The account is in her name and we can't "
                "change billing or add people. I'm sorry to bring this to you, I didn't know who "
                "else to ask."
            ),
            agent(
                "Dear {{ customer.first_name }}, I'm very sorry for your loss, and please don't "
                "apologise for asking. We can move the account to you or a colleague without her "
                "sign-in. All I need is a short letter on company letterhead naming the new owner. "
                "There's no rush at all, and I'll handle the rest."
            ),
            note(
                "Ownership change without the owner's consent: needs Helen's sign-off. Letter "
                "received, looks fine. Please keep all replies on this ticket gentle."
            ),
            agent(
                "The account now belongs to you, with full billing and admin rights. Her tickets "
                "and notes are all still there. If anything else is hard to untangle, write to me "
                "directly."
            ),
        ),
        final_status="resolved",
        survey=Survey(rating=5, understood=5, comment="Handled with real kindness at a hard time."),
        tags=("ownership", "account-transfer", "sensitive"),
        agent_tone="warm",
    ),
    Scenario(
        key="accounts-make-admin",
        queue="accounts",
        subject="How do I make someone an admin?",
        urgency="low",
        channel="web",
        messages=(
            customer("How do I give a colleague admin rights?"),
            agent("Settings > Team, click their name and choose 'Admin' under Role."),
        ),
        final_status="resolved",
        tags=("onboarding", "roles", "how-to"),
        agent_tone="mixed",
    ),
    Scenario(
        key="accounts-email-change-rebrand",
        queue="accounts",
        subject="Changing our login e-mails after a rebrand",
        urgency="normal",
        channel="email",
        messages=(
            customer(
                "We rebranded and our old e-mail domain has expired, so nobody can receive sign-in "
                "codes. We need to change the login e-mail for 14 users."
            ),
            agent(
                "You should have changed the addresses before the old domain expired. We now need "
                "proof of domain ownership for the new domain before we make any changes."
            ),
            customer("How do we send that? We're completely stuck until this is done."),
            agent("Add the TXT record shown in the attached file to your DNS and reply here."),
        ),
        final_status="pending",
        tags=("login", "email-change", "domain"),
        agent_tone="cold",
    ),
    Scenario(
        key="accounts-two-accounts-confused",
        queue="accounts",
        subject="I have two accounts?",
        urgency="low",
        channel="web",
        messages=(
            customer(
                "When I log in with my work address I see different tickets than on my phone. Do I "
                "have two accounts somehow? Can you combine them?"
            ),
            agent(
                "As stated in the FAQ, accounts cannot be merged. You have one account with your "
                "work address and one created by signing in with a personal address."
            ),
            customer("OK, so what should I do with the second one?"),
            agent(
                "Move any tickets you need with 'Transfer' on each ticket, then delete the second "
                "account under Profile > Delete account."
            ),
        ),
        final_status="resolved",
        survey=Survey(
            rating=3, understood=2, comment="Took a while to get what I actually needed."
        ),
        tags=("duplicate-account",),
        agent_tone="cold",
    ),
)

# --------------------------------------------------------------------------------------------
# General questions
# --------------------------------------------------------------------------------------------

_GENERAL: tuple[Scenario, ...] = (
    Scenario(
        key="general-onboarding-where-to-start",
        queue="general",
        subject="Just signed up, where do we start?",
        urgency="normal",
        channel="web",
        messages=(
            customer(
                "Hi! We just signed up and there are a lot of settings. Where should we start? "
                "We're a team of six handling customer questions for our online shop."
            ),
            agent(
                "Welcome aboard, {{ customer.first_name }}! I understand the settings page can "
                "feel like a lot at first. Before I point you anywhere, could you tell me how your "
                "customers reach you today (e-mail, a form, phone?) and what bothers you most "
                "about the current setup? Then I can suggest the three settings that matter for "
                "you and skip the rest."
            ),
        ),
        final_status="pending",
        tags=("onboarding",),
        agent_tone="warm",
    ),
    Scenario(
        key="general-training-session",
        queue="general",
        subject="Training for new staff?",
        urgency="low",
        channel="email",
        messages=(
            customer("Do you offer training sessions? We have five new starters next month."),
            agent(
                "We run a free live onboarding webinar every Tuesday at 15:00 UTC, and recordings "
                "are in the Help Centre under 'Getting started'. Premium plans also include one "
                "private session; I've added the booking link to this ticket."
            ),
        ),
        final_status="resolved",
        survey=Survey(rating=4, understood=4, comment="Helpful links."),
        tags=("onboarding", "training"),
        agent_tone="mixed",
    ),
    Scenario(
        key="general-support-hours",
        queue="general",
        subject="Support hours",
        urgency="low",
        channel="web",
        messages=(
            customer("What are your support hours?"),
            agent(
                "Monday to Friday, 08:00 to 20:00 CET. Urgent tickets from premium and VIP plans "
                "are answered around the clock."
            ),
        ),
        final_status="resolved",
        tags=("how-to",),
        agent_tone="mixed",
    ),
    Scenario(
        key="general-complaint-about-agent",
        queue="general",
        subject="Complaint about how I was treated",
        urgency="high",
        channel="email",
        messages=(
            customer(
                "Last week I reported an outage and your agent told me to 'calm down' and that it "
                "was my browser. It was your outage. I've never been spoken to like that by a "
                "supplier. I want to know what you're going to do about it."
            ),
            agent(
                "Dear {{ customer.first_name }}, I'm the team manager and I've read the whole "
                "conversation. You're right: you reported a real problem and were dismissed and "
                "talked down to. That's not how we want anyone treated, and I'm sorry. I've spoken "
                "with the agent, and we're reviewing how we handle outage reports. I'd also like "
                "to credit this month's fee. Is there anything else I can put right?"
            ),
            note(
                "Coaching session booked for Thursday. Crediting one month as goodwill; Helen "
                "approved."
            ),
            customer("Thank you. That's the answer I was hoping for the first time round."),
        ),
        final_status="resolved",
        survey=Survey(
            rating=4,
            understood=5,
            comment="The manager listened and owned it. Shame it needed escalating.",
        ),
        tags=("complaint", "escalation"),
        agent_tone="warm",
    ),
    Scenario(
        key="general-cancel-nothing-works",
        queue="general",
        subject="Cancelling",
        urgency="normal",
        channel="web",
        messages=(
            customer(
                "I'm going to cancel. The reports are wrong half the time, the app is slow and I'm "
                "tired of working around it. Please cancel our subscription at the end of the "
                "month."
            ),
            agent(
                "We apologize for any inconvenience. Your cancellation request has been noted. "
                "Ticket closed."
            ),
        ),
        final_status="closed",
        survey=Survey(
            rating=1,
            understood=1,
            comment="Nobody even asked what was wrong with the reports.",
            reason="product",
        ),
        tags=("cancellation", "churn"),
        agent_tone="cold",
    ),
    Scenario(
        key="general-feature-shared-calendar",
        queue="general",
        subject="Feature request: shared team calendar",
        urgency="low",
        channel="web",
        messages=(
            customer(
                "We'd love a shared calendar view of everyone's appointments. Right now we keep a "
                "separate spreadsheet and it's always out of date."
            ),
            agent(
                "Hi {{ customer.first_name }}, I understand why that would help; keeping a second "
                "spreadsheet in sync is tedious and error-prone. Could you tell me how you use the "
                "spreadsheet today: planning who is free, or seeing the day at a glance? I'll be "
                "honest: a shared calendar isn't on this year's roadmap, but details like that "
                "shape what we build next."
            ),
            customer("Mostly to see who is free before booking. Shame it's not coming."),
            agent(
                "Thank you. I've logged it in your words. Meanwhile the 'availability' filter on "
                "the team page covers part of that; here's how to set it up."
            ),
        ),
        final_status="closed",
        survey=Survey(
            rating=2,
            understood=4,
            comment="Lovely agent, but the product just doesn't do what we need.",
            reason="product",
        ),
        tags=("feature-request", "calendar"),
        agent_tone="warm",
    ),
    Scenario(
        key="general-feature-dark-mode",
        queue="general",
        subject="Dark mode?",
        urgency="low",
        channel="web",
        messages=(
            customer("Any plans for a dark mode? Our night shift finds the white screens harsh."),
            agent(
                "Noted. It has been added to the list of feature requests. There is no timeline."
            ),
        ),
        final_status="closed",
        survey=Survey(rating=3, understood=3, comment="Polite, but I doubt anything will happen."),
        tags=("feature-request", "accessibility"),
        agent_tone="mixed",
    ),
    Scenario(
        key="general-feature-bulk-edit",
        queue="general",
        subject="Bulk-editing tags would save us hours",
        urgency="low",
        channel="email",
        messages=(
            customer(
                "Every Monday I retag about 200 tickets one by one. It takes most of the morning. "
                "Is there a faster way, or could you build one?"
            ),
            agent(
                "Hi {{ customer.first_name }}, a whole morning every week is a lot, and I "
                "understand why it's frustrating. Could you walk me through how you decide which "
                "tickets get which tag? If it follows a rule, an automation might do it for you "
                "today; if not, I'll pass on a bulk-edit request with your example."
            ),
            customer(
                "Mostly by the organisation: anything from our partner clinics gets 'partner'. The "
                "rest is judgement."
            ),
            agent(
                "Then an automation can handle the partner ones. I've drafted it in your account, "
                "switched off, for you to review. The judgement part I've logged as a bulk-edit "
                "request, quoting your Monday routine."
            ),
        ),
        final_status="pending",
        tags=("feature-request", "automation", "tags"),
        agent_tone="warm",
    ),
    Scenario(
        key="general-screen-reader",
        queue="general",
        subject="Screen reader support",
        urgency="normal",
        channel="email",
        messages=(
            customer(
                "One of our new team members is blind and uses a screen reader. Is your agent "
                "workspace accessible?"
            ),
            agent(
                "Yes. The agent workspace is tested with the common screen readers and aims for "
                "WCAG 2.1 AA. Our accessibility statement lists known gaps; the main one is the "
                "report charts, which have a data-table alternative. I'm happy to set up a call "
                "with our accessibility lead if your colleague would find it useful."
            ),
            customer("That's great, she'd like the call. Thanks."),
        ),
        final_status="resolved",
        survey=Survey(
            rating=5, understood=4, comment="Knowledgeable and offered more than I asked."
        ),
        tags=("accessibility",),
        agent_tone="mixed",
    ),
    Scenario(
        key="general-reseller-misrouted",
        queue="general",
        subject="Reseller programme?",
        urgency="low",
        channel="web",
        messages=(
            customer(
                "Do you have a reseller or partner programme? We implement tools for clients."
            ),
            agent("Just e-mail the sales team, support doesn't handle that."),
        ),
        final_status="closed",
        tags=("sales", "misrouted"),
        agent_tone="cold",
    ),
    Scenario(
        key="general-unanswered-follow-up",
        queue="general",
        subject="Question about archiving old tickets",
        urgency="normal",
        channel="email",
        messages=(
            customer(
                "Can we archive tickets older than two years so they don't show up in search, "
                "without deleting them?"
            ),
            customer("Hello? Is anyone reading these? It's been three days."),
        ),
        final_status="new",
        tags=("archiving", "slow-response"),
    ),
    Scenario(
        key="general-thank-you",
        queue="general",
        subject="Thank you!",
        urgency="low",
        channel="web",
        messages=(
            customer(
                "No problem to report, I just wanted to say thanks. Your colleague stayed late on "
                "Friday to help us with our migration and it went perfectly."
            ),
            agent(
                "{{ customer.first_name }}, this made our day. I've passed your message on to her "
                "and to her manager. Thank you for taking the time to write."
            ),
        ),
        final_status="closed",
        survey=Survey(rating=5, understood=5, comment="Always a pleasure."),
        tags=("praise",),
        agent_tone="warm",
    ),
    Scenario(
        key="general-phone-call-agent-logged",
        queue="general",
        subject="Phone call: adding a second location",
        urgency="normal",
        channel="agent",
        messages=(
            customer(
                "We're opening a second shop next month. Can both locations share one account but "
                "keep their tickets separate?"
            ),
            agent(
                "Thanks for the call earlier, {{ customer.first_name }}. As promised, a summary: "
                "yes, you can. Create a second queue for the new location and give each team "
                "access only to its own queue. I'll set it up with you on Wednesday at 10:00, as "
                "we agreed."
            ),
        ),
        final_status="open",
        tags=("onboarding", "queues", "phone"),
        agent_tone="warm",
    ),
    Scenario(
        key="general-confused-about-plans",
        queue="general",
        subject="What's the difference between plans?",
        urgency="low",
        channel="web",
        messages=(
            customer(
                "I'm confused about which plan we need. We're four people. Does standard include "
                "the reports we saw in the demo?"
            ),
            agent(
                "Standard includes the basic reports (volume, response times). The satisfaction "
                "and team reports from the demo are premium. For four people, most teams start on "
                "standard and upgrade later; you can switch at any time."
            ),
            customer("Makes sense, we'll start with standard."),
        ),
        final_status="resolved",
        survey=Survey(rating=4, understood=4, comment="Clear, no hard sell."),
        tags=("plans", "pre-sales"),
        agent_tone="mixed",
    ),
)

SCENARIOS: tuple[Scenario, ...] = _BILLING + _TECHNICAL + _ACCOUNTS + _GENERAL
