"""Inbound mail as the support desk reads it, as tables: each row a raw message (bytes, as SMTP or
IMAP hands it over) or a text, and the exact outcome. No database: the module is pure."""

from __future__ import annotations

import datetime as dt

import pytest

from emporos.support.htmltext import html_to_text
from emporos.support.mailparse import Attachment, ParsedMail, order_numbers, parse, return_numbers, trim_reply

UTC = dt.UTC


def crlf(text: str) -> bytes:
    """A message written with \\n, sent as SMTP sends it: CRLF line ends, UTF-8 where not encoded."""
    return text.replace("\n", "\r\n").encode()


def simple(headers: str = "", body: str = "Hello\n") -> bytes:
    """A plain message from Anna to support with the given extra headers (which may override nothing)."""
    base = "From: Anna <anna@example.com>\nTo: support@shop.example\nSubject: Hi\nMessage-ID: <m1@example.com>\n"
    return crlf(base + headers + "\n" + body)


def hashed_id(sha256_hex: str) -> str:
    return f"sha256-{sha256_hex}@emporos.invalid"


# -- whole messages ------------------------------------------------------------------------------

GMAIL_REPLY = crlf("""Delivered-To: support@shop.example
Return-Path: <anna.k@gmail.example>
MIME-Version: 1.0
Date: Tue, 2 Dec 2026 09:15:42 +0200
References: <order-10042.1@shop.example>
 <ticket-77.2@shop.example>
In-Reply-To:
 <ticket-77.2@shop.example>
Message-ID: <CAF=k3Yx+Q@mail.gmail.example>
Subject: Re: Your order EM-10042 has shipped
From: Anna Kowalska <Anna.K@Gmail.Example>
To: Emporos Support <support@shop.example>
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/plain; charset="UTF-8"

Hello,

the parcel for EM-10042 has not arrived yet. Could you check?

Thanks,
Anna

On Mon, 1 Dec 2026 at 18:03, Emporos Support <support@shop.example>
wrote:

> Your order EM-10042 has shipped.
>
> Track it here: https://track.example/123
>

--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Hello,<div><br></div><div>the parcel for EM-10042 has not arrived yet.</div></div>

--000000000000a1b2c3--
""")

GREEK_QUOTED_PRINTABLE = crlf("""From: =?utf-8?b?zpzOsc+Bzq/OsSDOoM6xz4DOsc60zr/PgM6/z43Ou86/z4U=?= <maria.p@example.gr>
To: support@shop.example
Subject: =?utf-8?b?UmU6IM6gzrHPgc6xzrPOs861zrvOr86xIEVNLTEwMDUxIOKAlCDOu86szrjOv8+C?=
 =?utf-8?b?IM68zq3Os861zrjOv8+C?=
Date: Wed, 3 Dec 2026 14:20:00 +0200
Message-ID: <20261203122000.GA1@example.gr>
In-Reply-To: <ticket-80.1@shop.example>
Content-Language: el-GR
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

=CE=9A=CE=B1=CE=BB=CE=B7=CF=83=CF=80=CE=AD=CF=81=CE=B1 =CF=83=CE=B1=CF=82,

=CE=BC=CE=BF=CF=85 =CF=83=CF=84=CE=B5=CE=AF=CE=BB=CE=B1=CF=84=CE=B5 =CE=BC=
=CE=AD=CE=B3=CE=B5=CE=B8=CE=BF=CF=82 M =CE=B1=CE=BD=CF=84=CE=AF =CE=B3=CE=
=B9=CE=B1 L =CF=83=CF=84=CE=B7=CE=BD =CF=80=CE=B1=CF=81=CE=B1=CE=B3=CE=B3=
=CE=B5=CE=BB=CE=AF=CE=B1 EM-10051.
=CE=9C=CF=80=CE=BF=CF=81=CF=8E =CE=BD=CE=B1 =CF=84=CE=BF =CE=B5=CF=80=CE=B9=
=CF=83=CF=84=CF=81=CE=AD=CF=88=CF=89;

=CE=95=CF=85=CF=87=CE=B1=CF=81=CE=B9=CF=83=CF=84=CF=8E,
=CE=9C=CE=B1=CF=81=CE=AF=CE=B1

=CE=A3=CF=84=CE=B9=CF=82 =CE=A4=CF=81=CE=AF, 2 =CE=94=CE=B5=CE=BA 2026 =CF=
=83=CF=84=CE=B9=CF=82 10:00 =CF=80.=CE=BC., =CE=BF/=CE=B7 Emporos <support@=
shop.example> =CE=AD=CE=B3=CF=81=CE=B1=CF=88=CE=B5:
> =CE=97 =CF=80=CE=B1=CF=81=CE=B1=CE=B3=CE=B3=CE=B5=CE=BB=CE=AF=CE=B1 =CF=
=83=CE=B1=CF=82 =CF=83=CF=84=CE=AC=CE=BB=CE=B8=CE=B7=CE=BA=CE=B5.
""")

HEBREW_BASE64 = crlf("""From: =?utf-8?b?16DXldei15Qg15zXldeZ?= <noa@example.co.il>
To: support@shop.example
Cc: Noa Work <Noa@Work.Example>, support@shop.example
Subject: =?utf-8?b?15TXl9eW16jXlCBFTS0xMDA0Mi1SMQ==?=
Date: Thu, 4 Dec 2026 08:05:00 +0200
Message-ID: <E1A2@example.co.il>
Content-Language: he
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

16nXnNeV150sDQrXqdec15fXqteZINeQ16og15TXlNeX15bXqNeUIEVNLTEwMDQyLVIxINeQ16rX
nteV15wuDQrXnteq15kg15nXkteZ16Ig15TXlteZ15vXldeZPw0KDQrXoNep15zXlyDXnteULWlQ
aG9uZSDXqdec15kNCg==
""")

POLISH_ISO_8859_2 = crlf("""From: =?iso-8859-2?q?Pawe=B3_Nowak?= <pawel@example.pl>
To: sklep@shop.example
Subject: =?iso-8859-2?q?Zam=F3wienie_nr_10077_-_brak_przesy=B3ki?=
Date: Fri, 5 Dec 2026 16:45:10 +0100
Message-ID: <5f3e@example.pl>
Content-Language: pl-PL, en
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-2
Content-Transfer-Encoding: quoted-printable

Dzie=F1 dobry,

zam=F3wienie nr 10077 jeszcze nie dotar=B3o. Prosz=EA o sprawdzenie.

Pozdrawiam
Pawe=B3 Nowak

W dniu 1.12.2026 o 10:00, Sklep Emporos pisze:
> Dzi=EAkujemy za zam=F3wienie.
""")

OUTLOOK_HTML_ONLY = crlf("""From: "Cohen, Dana" <dana.cohen@corp.example>
To: support@shop.example
Subject: RE: Invoice for EM-10099
Date: Mon, 8 Dec 2026 11:00:00 +0000
Message-ID: <AM0PR01MB1234@corp.example>
Thread-Topic: Invoice for EM-10099
Content-Language: en-US
MIME-Version: 1.0
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><head><style>p.MsoNormal{margin:0cm}</style><title>x</title></head><body lang=3D"EN-US">
<p class=3D"MsoNormal">Hi,<o:p></o:p></p>
<p class=3D"MsoNormal"><o:p>&nbsp;</o:p></p>
<p class=3D"MsoNormal">Please send the invoice for EM-10099 &amp; EM-10100 =
again.<br>
Our VAT number is EL123456789.<o:p></o:p></p>
<p class=3D"MsoNormal"><o:p>&nbsp;</o:p></p>
<p class=3D"MsoNormal">Dana<o:p></o:p></p>
<div style=3D"border:none;border-top:solid #E1E1E1 1.0pt">
<p class=3D"MsoNormal"><b>From:</b> Emporos Support &lt;support@shop.example&gt;<br>
<b>Sent:</b> Friday, December 5, 2026 3:00 PM<br>
<b>To:</b> Cohen, Dana &lt;dana.cohen@corp.example&gt;<br>
<b>Subject:</b> Invoice for EM-10099<o:p></o:p></p></div>
<p class=3D"MsoNormal">Your invoice is attached.<o:p></o:p></p>
<script>alert("x")</script>
</body></html>
""")

WITH_ATTACHMENTS = crlf("""From: Jan <jan@example.com>
To: support@shop.example
Subject: Damaged item, photos attached
Date: Sat, 6 Dec 2026 10:00:00 +0100
Message-ID: <att-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed"

This is a multi-part message in MIME format.
--mixed
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

The mug arrived broken, photos attached. Order EM-10123.
--alt
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8

<p>The mug arrived broken, photos attached. Order EM-10123.<img src="cid:logo"></p>
--rel
Content-Type: image/png; name="logo.png"
Content-ID: <logo>
Content-Disposition: inline; filename="logo.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--rel--
--alt--
--mixed
Content-Type: image/jpeg; name="=?UTF-8?Q?st=C5=82uczony_kubek.jpg?="
Content-Disposition: attachment; filename*=UTF-8''st%C5%82uczony%20kubek.jpg
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRg==
--mixed
Content-Type: text/csv; charset=utf-8
Content-Disposition: attachment; filename="../../etc/order.csv"

sku,qty
MUG-1,1
--mixed
Content-Type: application/pdf
Content-Disposition: attachment
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--mixed
Content-Type: message/rfc822
Content-Disposition: attachment

From: courier@example.com
Subject: Delivery note

Delivered damaged.
--mixed
Content-Type: text/plain; charset=utf-8
Content-Disposition: inline

A second inline text part: no attachment.
--mixed--
""")

DSN_BOUNCE = crlf("""Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.shop.example>
To: support@shop.example
Subject: Undelivered Mail Returned to Sender
Date: Tue, 9 Dec 2026 07:00:00 +0000 (UTC)
Message-Id: <20261209070000.ABC@mx.shop.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.shop.example.

<nobody@example.invalid>: host example.invalid said: 550 5.1.1 User unknown

--dsn
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.shop.example
Final-Recipient: rfc822; nobody@example.invalid
Action: failed
Status: 5.1.1

--dsn
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: support@shop.example
To: nobody@example.invalid
Subject: Your order EM-10042
Message-ID: <ticket-90.1@shop.example>

--dsn--
""")

OUTLOOK_AUTO_REPLY = crlf("""From: Dana Cohen <dana.cohen@corp.example>
To: Emporos Support <support@shop.example>
Subject: Automatic reply: Your order EM-10099 has shipped
Thread-Topic: Your order EM-10099 has shipped
Date: Mon, 8 Dec 2026 11:00:05 +0000
Message-ID: <oof-1@corp.example>
In-Reply-To: <ticket-91.1@shop.example>
Auto-Submitted: auto-generated
X-Auto-Response-Suppress: All
Content-Language: en-US
MIME-Version: 1.0
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

I am out of the office until 15 December with limited access to e-mail.
""")

WITHOUT_MESSAGE_ID = crlf("""From: kostas@example.gr
To: support@shop.example
Subject: Where is my order?
Date: Wed, 10 Dec 2026 20:00:00 +0200

Where is EM-10200?
""")

GARBAGE = b"\x00\xff\xfe\x80 not a header line \x81\r\nSubject\x00: \xc3\x28\r\n\r\nbody \x00with\x01 junk \xe9\xff\r\n"


def mail(**fields: object) -> ParsedMail:
    """A ParsedMail with every field empty but the ones given."""
    empty: dict[str, object] = {
        "message_id": "",
        "in_reply_to": (),
        "references": (),
        "sender_email": "",
        "sender_name": "",
        "reply_to": "",
        "recipients": (),
        "subject": "",
        "sent_at": None,
        "text": "",
        "new_text": "",
        "attachments": (),
        "automatic": "",
        "language": "",
    }
    return ParsedMail(**{**empty, **fields})  # type: ignore[arg-type]


WHOLE_MESSAGES = [
    pytest.param(
        GMAIL_REPLY,
        mail(
            message_id="CAF=k3Yx+Q@mail.gmail.example",
            in_reply_to=("ticket-77.2@shop.example",),
            references=("order-10042.1@shop.example", "ticket-77.2@shop.example"),
            sender_email="anna.k@gmail.example",
            sender_name="Anna Kowalska",
            recipients=("support@shop.example",),
            subject="Re: Your order EM-10042 has shipped",
            sent_at=dt.datetime(2026, 12, 2, 7, 15, 42, tzinfo=UTC),
            text=(
                "Hello,\n\nthe parcel for EM-10042 has not arrived yet. Could you check?\n\nThanks,\nAnna\n\n"
                "On Mon, 1 Dec 2026 at 18:03, Emporos Support <support@shop.example>\nwrote:\n\n"
                "> Your order EM-10042 has shipped.\n>\n> Track it here: https://track.example/123\n>"
            ),
            new_text="Hello,\n\nthe parcel for EM-10042 has not arrived yet. Could you check?\n\nThanks,\nAnna",
        ),
        id="gmail-multipart-alternative-reply-with-wrapped-attribution",
    ),
    pytest.param(
        GREEK_QUOTED_PRINTABLE,
        mail(
            message_id="20261203122000.GA1@example.gr",
            in_reply_to=("ticket-80.1@shop.example",),
            sender_email="maria.p@example.gr",
            sender_name="Μαρία Παπαδοπούλου",
            recipients=("support@shop.example",),
            subject="Re: Παραγγελία EM-10051 — λάθος μέγεθος",
            sent_at=dt.datetime(2026, 12, 3, 12, 20, tzinfo=UTC),
            text=(
                "Καλησπέρα σας,\n\nμου στείλατε μέγεθος M αντί για L στην παραγγελία EM-10051.\n"
                "Μπορώ να το επιστρέψω;\n\nΕυχαριστώ,\nΜαρία\n\n"
                "Στις Τρί, 2 Δεκ 2026 στις 10:00 π.μ., ο/η Emporos <support@shop.example> έγραψε:\n"
                "> Η παραγγελία σας στάλθηκε."
            ),
            new_text=(
                "Καλησπέρα σας,\n\nμου στείλατε μέγεθος M αντί για L στην παραγγελία EM-10051.\n"
                "Μπορώ να το επιστρέψω;\n\nΕυχαριστώ,\nΜαρία"
            ),
            language="el-gr",
        ),
        id="greek-quoted-printable-with-greek-attribution",
    ),
    pytest.param(
        HEBREW_BASE64,
        mail(
            message_id="E1A2@example.co.il",
            sender_email="noa@example.co.il",
            sender_name="נועה לוי",
            recipients=("support@shop.example", "noa@work.example"),
            subject="החזרה EM-10042-R1",
            sent_at=dt.datetime(2026, 12, 4, 6, 5, tzinfo=UTC),
            text="שלום,\nשלחתי את ההחזרה EM-10042-R1 אתמול.\nמתי יגיע הזיכוי?\n\nנשלח מה-iPhone שלי",
            new_text="שלום,\nשלחתי את ההחזרה EM-10042-R1 אתמול.\nמתי יגיע הזיכוי?",
            language="he",
        ),
        id="hebrew-base64-with-iphone-signature",
    ),
    pytest.param(
        POLISH_ISO_8859_2,
        mail(
            message_id="5f3e@example.pl",
            sender_email="pawel@example.pl",
            sender_name="Paweł Nowak",
            recipients=("sklep@shop.example",),
            subject="Zamówienie nr 10077 - brak przesyłki",
            sent_at=dt.datetime(2026, 12, 5, 15, 45, 10, tzinfo=UTC),
            text=(
                "Dzień dobry,\n\nzamówienie nr 10077 jeszcze nie dotarło. Proszę o sprawdzenie.\n\n"
                "Pozdrawiam\nPaweł Nowak\n\nW dniu 1.12.2026 o 10:00, Sklep Emporos pisze:\n"
                "> Dziękujemy za zamówienie."
            ),
            new_text=(
                "Dzień dobry,\n\nzamówienie nr 10077 jeszcze nie dotarło. Proszę o sprawdzenie.\n\n"
                "Pozdrawiam\nPaweł Nowak"
            ),
            language="pl-pl",
        ),
        id="polish-iso-8859-2-with-w-dniu-pisze",
    ),
    pytest.param(
        OUTLOOK_HTML_ONLY,
        mail(
            message_id="AM0PR01MB1234@corp.example",
            sender_email="dana.cohen@corp.example",
            sender_name="Cohen, Dana",
            recipients=("support@shop.example",),
            subject="RE: Invoice for EM-10099",
            sent_at=dt.datetime(2026, 12, 8, 11, 0, tzinfo=UTC),
            text=(
                "Hi,\n\nPlease send the invoice for EM-10099 & EM-10100 again.\nOur VAT number is EL123456789.\n\n"
                "Dana\n\nFrom: Emporos Support <support@shop.example>\nSent: Friday, December 5, 2026 3:00 PM\n"
                "To: Cohen, Dana <dana.cohen@corp.example>\nSubject: Invoice for EM-10099\n\n"
                "Your invoice is attached."
            ),
            new_text="Hi,\n\nPlease send the invoice for EM-10099 & EM-10100 again.\nOur VAT number is EL123456789.\n\nDana",
            language="en-us",
        ),
        id="outlook-html-only-reply-with-from-sent-block",
    ),
    pytest.param(
        WITH_ATTACHMENTS,
        mail(
            message_id="att-1@example.com",
            sender_email="jan@example.com",
            sender_name="Jan",
            recipients=("support@shop.example",),
            subject="Damaged item, photos attached",
            sent_at=dt.datetime(2026, 12, 6, 9, 0, tzinfo=UTC),
            text="The mug arrived broken, photos attached. Order EM-10123.",
            new_text="The mug arrived broken, photos attached. Order EM-10123.",
            attachments=(
                Attachment("logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
                Attachment("stłuczony kubek.jpg", "image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
                Attachment("order.csv", "text/csv", b"sku,qty\r\nMUG-1,1"),
                Attachment("attachment-6.pdf", "application/pdf", b"%PDF-1.4\n"),
                Attachment(
                    "attachment-7.eml",
                    "message/rfc822",
                    b"From: courier@example.com\r\nSubject: Delivery note\r\n\r\nDelivered damaged.",
                ),
            ),
        ),
        id="mixed-related-attachments-inline-image-rfc2231-name-path-stripped",
    ),
    pytest.param(
        DSN_BOUNCE,
        mail(
            message_id="20261209070000.ABC@mx.shop.example",
            sender_email="mailer-daemon@mx.shop.example",
            sender_name="Mail Delivery System",
            recipients=("support@shop.example",),
            subject="Undelivered Mail Returned to Sender",
            sent_at=dt.datetime(2026, 12, 9, 7, 0, tzinfo=UTC),
            text=(
                "This is the mail system at host mx.shop.example.\n\n"
                "<nobody@example.invalid>: host example.invalid said: 550 5.1.1 User unknown"
            ),
            new_text=(
                "This is the mail system at host mx.shop.example.\n\n"
                "<nobody@example.invalid>: host example.invalid said: 550 5.1.1 User unknown"
            ),
            automatic="bounce",
        ),
        id="dsn-bounce-multipart-report",
    ),
    pytest.param(
        OUTLOOK_AUTO_REPLY,
        mail(
            message_id="oof-1@corp.example",
            in_reply_to=("ticket-91.1@shop.example",),
            sender_email="dana.cohen@corp.example",
            sender_name="Dana Cohen",
            recipients=("support@shop.example",),
            subject="Automatic reply: Your order EM-10099 has shipped",
            sent_at=dt.datetime(2026, 12, 8, 11, 0, 5, tzinfo=UTC),
            text="I am out of the office until 15 December with limited access to e-mail.",
            new_text="I am out of the office until 15 December with limited access to e-mail.",
            automatic="auto-reply",
            language="en-us",
        ),
        id="outlook-auto-reply",
    ),
    pytest.param(
        WITHOUT_MESSAGE_ID,
        mail(
            message_id=hashed_id("d99a3ae90ed69ca93dc0e111c5f8f004f41eb4ae09724bfd7a47d44e8c102002"),
            sender_email="kostas@example.gr",
            recipients=("support@shop.example",),
            subject="Where is my order?",
            sent_at=dt.datetime(2026, 12, 10, 18, 0, tzinfo=UTC),
            text="Where is EM-10200?",
            new_text="Where is EM-10200?",
        ),
        id="without-message-id-hashed-from-the-raw-bytes",
    ),
    pytest.param(
        GARBAGE,
        mail(
            message_id=hashed_id("6873a8eea7e6a1588ccb2c402b58051824c6ebc06773e38129513137f11ecee7"),
            # No header line first, so all of it is body: NUL and control bytes out, the rest U+FFFD.
            text="\ufffd\ufffd\ufffd not a header line \ufffd\nSubject: \ufffd(\n\nbody with junk \ufffd\ufffd",
            new_text="\ufffd\ufffd\ufffd not a header line \ufffd\nSubject: \ufffd(\n\nbody with junk \ufffd\ufffd",
        ),
        id="garbage-bytes",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), WHOLE_MESSAGES)
def test_whole_message(raw: bytes, expected: ParsedMail) -> None:
    assert parse(raw) == expected


# -- headers -------------------------------------------------------------------------------------

# (raw, field, expected)
HEADER_CASES = [
    pytest.param(simple(), "message_id", "m1@example.com", id="message-id-in-brackets"),
    pytest.param(
        crlf("From: a@example.com\nMessage-ID: abc.123@example.com\n\nx\n"),
        "message_id",
        "abc.123@example.com",
        id="message-id-bare",
    ),
    pytest.param(
        crlf("From: a@example.com\nMessage-ID:   <  abc@example.com >  \n\nx\n"),
        "message_id",
        "abc@example.com",
        id="message-id-spaces-inside-brackets",
    ),
    pytest.param(
        crlf("From: a@example.com\nMessage-ID: <abc@example.com> (added by relay)\n\nx\n"),
        "message_id",
        "abc@example.com",
        id="message-id-with-comment",
    ),
    pytest.param(
        crlf("From: a@example.com\nMessage-ID:\n <folded@example.com>\n\nx\n"),
        "message_id",
        "folded@example.com",
        id="message-id-folded",
    ),
    pytest.param(
        crlf("From: a@example.com\nMessage-ID: <>\n\nx\n"),
        "message_id",
        hashed_id("8c5c127e2ad70acefe2e22c9e971b4c8996557e86d6c52483546fb3822e93f35"),
        id="message-id-empty-brackets-hashed",
    ),
    pytest.param(
        crlf("From: a@example.com\nMessage-ID:\n\nx\n"),
        "message_id",
        hashed_id("ddbb391613c74aa4632399de82a7d28a1617f080e35587f8fc1c1dd7554eec8b"),
        id="message-id-empty-hashed",
    ),
    pytest.param(
        crlf("Message-ID: <first@example.com>\nMessage-ID: <second@example.com>\n\nx\n"),
        "message_id",
        "first@example.com",
        id="message-id-twice-first-wins",
    ),
    pytest.param(
        simple("In-Reply-To: <a@example.com>\n <b@example.com>\n"),
        "in_reply_to",
        ("a@example.com", "b@example.com"),
        id="in-reply-to-folded-two-ids",
    ),
    pytest.param(
        simple('In-Reply-To: Your message of "Mon, 1 Dec 2026" <a@example.com>\n'),
        "in_reply_to",
        ("a@example.com",),
        id="in-reply-to-old-style-with-phrase",
    ),
    pytest.param(simple("In-Reply-To: a@example.com\n"), "in_reply_to", ("a@example.com",), id="in-reply-to-bare"),
    pytest.param(simple("In-Reply-To: no ids here\n"), "in_reply_to", (), id="in-reply-to-junk"),
    pytest.param(simple(), "in_reply_to", (), id="in-reply-to-missing"),
    pytest.param(
        simple("References: <a@example.com> <b@example.com>\n\t<a@example.com>\n  <c@example.com>\n"),
        "references",
        ("a@example.com", "b@example.com", "c@example.com"),
        id="references-folded-in-order-each-once",
    ),
    pytest.param(
        simple("References: <a@example.com><b@example.com>\n"),
        "references",
        ("a@example.com", "b@example.com"),
        id="references-without-spaces",
    ),
    pytest.param(
        crlf('From: "Kowalska, Anna" <ANNA@Example.PL>\n\nx\n'),
        "sender",
        ("anna@example.pl", "Kowalska, Anna"),
        id="sender-quoted-name-with-comma-lower-cased",
    ),
    pytest.param(crlf("From: anna@example.com\n\nx\n"), "sender", ("anna@example.com", ""), id="sender-bare-address"),
    pytest.param(
        crlf("From: anna@example.com (Anna K)\n\nx\n"), "sender", ("anna@example.com", ""), id="sender-with-comment"
    ),
    pytest.param(
        crlf("From: Ζωή Γεωργίου <zoe@example.gr>\n\nx\n"),
        "sender",
        ("zoe@example.gr", "Ζωή Γεωργίου"),
        id="sender-8bit-utf8-name",
    ),
    pytest.param(
        b"From: Jos\xe9 Garc\xeda <jose@example.es>\r\n\r\nx\r\n",
        "sender",
        ("jose@example.es", "José García"),
        id="sender-8bit-latin1-name",
    ),
    pytest.param(
        crlf("From: =?x-unknown?q?Anna?= <anna@example.com>\n\nx\n"),
        "sender",
        ("anna@example.com", "Anna"),
        id="sender-unknown-charset-encoded-word",
    ),
    pytest.param(crlf("To: a@example.com\n\nx\n"), "sender", ("", ""), id="sender-missing"),
    pytest.param(crlf("From: not an address\n\nx\n"), "sender", ("", ""), id="sender-not-an-address"),
    pytest.param(crlf("From: <>\n\nx\n"), "sender", ("", ""), id="sender-empty-brackets"),
    pytest.param(
        crlf("From: Anna <anna@example.com>, Bob <bob@example.com>\n\nx\n"),
        "sender",
        ("anna@example.com", "Anna"),
        id="sender-two-addresses-first-wins",
    ),
    pytest.param(
        simple("Reply-To: Orders Desk <Orders@Corp.Example>\n"),
        "reply_to",
        "orders@corp.example",
        id="reply-to-separate-from-sender",
    ),
    pytest.param(simple(), "reply_to", "", id="reply-to-missing"),
    pytest.param(
        crlf(
            "From: a@example.com\nTo: Support <Support@Shop.Example>, b@example.com\nCc: support@shop.example,"
            " C <c@example.com>\nDelivered-To: help@shop.example\nDelivered-To: support@shop.example\n"
            "X-Original-To: orders@shop.example\n\nx\n"
        ),
        "recipients",
        ("support@shop.example", "b@example.com", "c@example.com", "help@shop.example", "orders@shop.example"),
        id="recipients-to-cc-delivered-original-deduplicated",
    ),
    pytest.param(
        crlf("From: a@example.com\nTo: undisclosed-recipients:;\n\nx\n"), "recipients", (), id="recipients-empty-group"
    ),
    pytest.param(
        crlf("From: a@example.com\nTo: Team: x@example.com, y@example.com;\n\nx\n"),
        "recipients",
        ("x@example.com", "y@example.com"),
        id="recipients-group-with-members",
    ),
    pytest.param(
        simple().replace(b"Subject: Hi", b"Subject: =?UTF-8?Q?Zam=C3=B3wienie?= =?UTF-8?Q?_EM-10042?="),
        "subject",
        "Zamówienie EM-10042",
        id="subject-adjacent-encoded-words",
    ),
    pytest.param(
        simple().replace(b"Subject: Hi", b"Subject: Where   is\r\n\tmy\r\n   parcel?"),
        "subject",
        "Where is my parcel?",
        id="subject-folded-whitespace-collapsed",
    ),
    pytest.param(
        simple().replace(b"Subject: Hi", "Subject: Πού είναι η παραγγελία;".encode()),
        "subject",
        "Πού είναι η παραγγελία;",
        id="subject-8bit-utf8",
    ),
    pytest.param(
        simple().replace(b"Subject: Hi", b"Subject: =?utf-8?b?15TXltee16DXlA?="),
        "subject",
        "הזמנה",
        id="subject-base64-without-padding",
    ),
    pytest.param(simple().replace(b"Subject: Hi\r\n", b""), "subject", "", id="subject-missing"),
    pytest.param(
        simple("Date: Tue, 1 Dec 2026 10:00:00 +0200\n"),
        "sent_at",
        dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        id="date-with-offset-to-utc",
    ),
    pytest.param(
        simple("Date: Tue, 1 Dec 2026 10:00:00 -0000\n"),
        "sent_at",
        dt.datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
        id="date-minus-zero-zone-read-as-utc",
    ),
    pytest.param(
        simple("Date: 1 Dec 26 10:00 +0100 (CET)\n"),
        "sent_at",
        dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        id="date-two-digit-year-no-seconds-comment",
    ),
    pytest.param(simple("Date: yesterday\n"), "sent_at", None, id="date-garbage"),
    pytest.param(simple("Date: Mon, 31 Feb 2026 10:00:00 +0000\n"), "sent_at", None, id="date-impossible-day"),
    pytest.param(simple(), "sent_at", None, id="date-missing"),
    pytest.param(simple("Content-Language: el-GR, en\n"), "language", "el-gr", id="language-first-tag"),
    pytest.param(simple("Content-Language:   PL\n"), "language", "pl", id="language-upper-case"),
    pytest.param(simple("Content-Language: ;;;\n"), "language", "", id="language-garbage"),
    pytest.param(simple(), "language", "", id="language-missing"),
]


def _field(parsed: ParsedMail, field: str) -> object:
    return (parsed.sender_email, parsed.sender_name) if field == "sender" else getattr(parsed, field)


@pytest.mark.parametrize(("raw", "field", "expected"), HEADER_CASES)
def test_header(raw: bytes, field: str, expected: object) -> None:
    assert _field(parse(raw), field) == expected
