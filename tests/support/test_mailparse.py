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
        crlf("From: a@example.com\nTo: " + "x@example.com, " * 20000 + "y@example.com\n\nx\n"),
        "recipients",
        ("x@example.com",),
        id="recipients-300-kilobytes-read-to-4000-characters",
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


# -- automatic mail ------------------------------------------------------------------------------


def with_subject(subject: str) -> bytes:
    return simple().replace(b"Subject: Hi", b"Subject: " + subject.encode())


# (raw, why it is automatic; "" for a person's mail)
AUTOMATIC_CASES = [
    pytest.param(simple(), "", id="person"),
    pytest.param(simple("Auto-Submitted: auto-replied\n"), "auto-reply", id="auto-submitted-auto-replied"),
    pytest.param(
        simple("Auto-Submitted: auto-generated; owner-email=x@example.com\n"),
        "auto-reply",
        id="auto-submitted-auto-generated-with-parameter",
    ),
    pytest.param(simple("Auto-Submitted: No\n"), "", id="auto-submitted-no"),
    pytest.param(simple("X-Autoreply: yes\n"), "auto-reply", id="x-autoreply"),
    pytest.param(simple("X-Autorespond: Anna is away\n"), "auto-reply", id="x-autorespond"),
    pytest.param(simple("X-Auto-Response-Suppress: All\n"), "auto-reply", id="x-auto-response-suppress-all"),
    pytest.param(
        simple("X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply\n"),
        "auto-reply",
        id="x-auto-response-suppress-oof-in-a-list",
    ),
    pytest.param(simple("X-Auto-Response-Suppress: DR, RN\n"), "", id="x-auto-response-suppress-receipts-only"),
    pytest.param(simple("Precedence: bulk\n"), "bulk", id="precedence-bulk"),
    pytest.param(simple("Precedence: junk\n"), "bulk", id="precedence-junk"),
    pytest.param(simple("Precedence: List\n"), "bulk", id="precedence-list"),
    pytest.param(simple("Precedence: auto_reply\n"), "auto-reply", id="precedence-auto-reply"),
    pytest.param(simple("Precedence: first-class\n"), "", id="precedence-first-class"),
    pytest.param(simple("List-Id: Shop news <news.shop.example>\n"), "bulk", id="list-id"),
    pytest.param(simple("List-Unsubscribe: <mailto:unsubscribe@news.example>\n"), "bulk", id="list-unsubscribe"),
    pytest.param(simple("Return-Path: <>\n"), "bounce", id="return-path-empty"),
    pytest.param(simple("Return-Path: < >\n"), "bounce", id="return-path-empty-with-space"),
    pytest.param(simple("Return-Path: <anna@example.com>\n"), "", id="return-path-an-address"),
    pytest.param(
        crlf("From: MAILER-DAEMON@mx.example.com\nSubject: failure notice\n\nx\n"), "bounce", id="from-mailer-daemon"
    ),
    pytest.param(
        crlf("From: MAILER-DAEMON (Mail Delivery System)\nSubject: failure notice\n\nx\n"),
        "bounce",
        id="from-mailer-daemon-without-domain",
    ),
    pytest.param(crlf("From: Postmaster <postmaster@example.com>\n\nx\n"), "bounce", id="from-postmaster"),
    pytest.param(
        crlf("From: a@example.com\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b--\n"),
        "bounce",
        id="multipart-report-delivery-status",
    ),
    pytest.param(
        crlf(
            "From: a@example.com\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b"
            "\n\n--b--\n"
        ),
        "auto-reply",
        id="multipart-report-read-receipt",
    ),
    pytest.param(simple("X-Emporos-Loop: ticket-77\n"), "loop", id="own-loop-marker"),
    pytest.param(
        simple("X-Emporos-Loop: 1\nAuto-Submitted: auto-replied\nReturn-Path: <>\n"),
        "loop",
        id="own-loop-marker-beats-everything",
    ),
    pytest.param(simple("Return-Path: <>\nPrecedence: bulk\n"), "bounce", id="bounce-beats-bulk"),
    pytest.param(with_subject("Out of Office: Re: order EM-10042"), "auto-reply", id="subject-out-of-office"),
    pytest.param(
        with_subject("Out of Office AutoReply: order EM-10042"), "auto-reply", id="subject-old-exchange-out-of-office"
    ),
    pytest.param(with_subject("Automatic reply: Your order"), "auto-reply", id="subject-automatic-reply"),
    pytest.param(with_subject("AUTOREPLY"), "auto-reply", id="subject-autoreply-upper-case"),
    pytest.param(with_subject("Abwesenheitsnotiz: Ihre Bestellung"), "auto-reply", id="subject-abwesenheitsnotiz"),
    pytest.param(with_subject("Αυτόματη απάντηση: Η παραγγελία σας"), "auto-reply", id="subject-greek-automatic-reply"),
    pytest.param(with_subject("ΕΚΤΟΣ ΓΡΑΦΕΙΟΥ"), "auto-reply", id="subject-greek-out-of-office-capitals-no-accents"),
    pytest.param(with_subject("Odpowiedź automatyczna: Zamówienie"), "auto-reply", id="subject-polish-automatic-reply"),
    pytest.param(with_subject("Nieobecność: urlop do 15.12"), "auto-reply", id="subject-polish-absence-colon"),
    pytest.param(
        with_subject("Nieobecność w domu podczas dostawy"), "", id="subject-polish-absence-as-a-customer-writes-it"
    ),
    pytest.param(with_subject("מענה אוטומטי: ההזמנה שלך"), "auto-reply", id="subject-hebrew-automatic-reply"),
    pytest.param(with_subject("אני מחוץ למשרד"), "auto-reply", id="subject-hebrew-out-of-office"),
    pytest.param(with_subject("Re: out of office hours delivery?"), "", id="subject-phrase-not-at-the-start"),
    pytest.param(
        simple().replace(b"Subject: Hi", b"Subject: =?utf-8?q?Automatick=C3=A1_odpov=C4=9B=C4=8F?="),
        "",
        id="subject-unlisted-language-is-a-person",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), AUTOMATIC_CASES)
def test_automatic(raw: bytes, expected: str) -> None:
    parsed = parse(raw)
    assert (parsed.automatic, parsed.is_automatic) == (expected, bool(expected))


# -- what the customer wrote this time -----------------------------------------------------------

# (text, trim_reply(text))
TRIM_CASES = [
    pytest.param(
        "Hi,\nwhere is my parcel?\n\nOn Mon, 1 Dec 2026 at 10:00, Shop <s@shop.example> wrote:\n> Shipped.\n> Thanks",
        "Hi,\nwhere is my parcel?",
        id="english-attribution",
    ),
    pytest.param(
        "Hi\n\nOn Mon, 1 Dec 2026 at 10:00, Anna Example <\nanna@example.com> wrote:\n\n> quote",
        "Hi",
        id="english-attribution-wrapped-over-two-lines",
    ),
    pytest.param(
        "Hi\n\nOn 1 Dec 2026, at 10:00, Shop <s@shop.example> wrote:\n\nnot quoted history",
        "Hi",
        id="english-attribution-without-quote-marks",
    ),
    pytest.param(
        "Γεια σας\n\nΣτις Δευ 1 Δεκ 2026 στις 10:00 π.μ., ο/η Shop <s@shop.example> έγραψε:\n> παλιό",
        "Γεια σας",
        id="greek-attribution",
    ),
    pytest.param(
        "Dzień dobry\n\npon., 1 gru 2026 o 10:00 Sklep <s@shop.example> napisał(a):\n> stare",
        "Dzień dobry",
        id="polish-gmail-napisal-a",
    ),
    pytest.param(
        "Dzień dobry\n\nW dniu 1.12.2026 o 10:00, Sklep pisze:\n> stare", "Dzień dobry", id="polish-w-dniu-pisze"
    ),
    pytest.param(
        "שלום\n\n\u202bב-1 בדצמ׳ 2026, בשעה 10:00, Shop <s@shop.example> כתב/ה:\u202c\n> ישן",
        "שלום",
        id="hebrew-attribution-with-direction-marks",
    ),
    pytest.param("שלום\n\nב-1.12.2026 10:00, נכתב:\n> ישן", "שלום", id="hebrew-nichtav"),
    pytest.param(
        "שלום\n\nבתאריך יום ב׳, 1 בדצמ׳ 2026 ב-10:00 מאת Shop <s@shop.example>:\n> ישן",
        "שלום",
        id="hebrew-gmail-beta-arich-meet",
    ),
    pytest.param(
        "Hallo\n\nAm 01.12.2026 um 10:00 schrieb Shop <s@shop.example>:\n> alt", "Hallo", id="german-am-schrieb"
    ),
    pytest.param(
        "Hi\n\n-----Original Message-----\nFrom: Shop\nSent: Monday\n\nold", "Hi", id="outlook-original-message"
    ),
    pytest.param("Γεια\n\n-----Αρχικό μήνυμα-----\nΑπό: Shop\n\nold", "Γεια", id="outlook-original-message-greek"),
    pytest.param(
        "Hi\n\n________________________________\nFrom: Shop <s@shop.example>\nSent: Monday, December 1, 2026\n\nold",
        "Hi",
        id="outlook-underscore-rule",
    ),
    pytest.param(
        "Hi\n\nFrom: Shop <s@shop.example>\nSent: Monday, December 1, 2026 10:00\nTo: Anna\nSubject: x\n\nold",
        "Hi",
        id="outlook-from-sent-block",
    ),
    pytest.param(
        "Cześć\n\nOd: Sklep <s@shop.example>\nWysłano: poniedziałek, 1 grudnia 2026\nDo: Anna\n\nstare",
        "Cześć",
        id="outlook-from-sent-block-polish",
    ),
    pytest.param(
        "Hi\n\n*From:* Shop <s@shop.example>\n*Sent:* Monday\n*To:* Anna\n\nold", "Hi", id="outlook-bold-header-block"
    ),
    pytest.param(
        "Hi\n\nFrom: Shop <s@shop.example>\nSubject: x\nDate: 1 December 2026 at 10:00\nTo: Anna\n\nold",
        "Hi",
        id="apple-mail-from-date-block",
    ),
    pytest.param(
        "See below\n\n---------- Forwarded message ---------\nFrom: Courier <c@example.com>\n"
        "Date: Mon, 1 Dec 2026\nSubject: Delivery\n\nYour parcel\n-- \nCourier",
        "See below\n\n---------- Forwarded message ---------\nFrom: Courier <c@example.com>\n"
        "Date: Mon, 1 Dec 2026\nSubject: Delivery\n\nYour parcel\n--\nCourier",
        id="gmail-forward-is-content",
    ),
    pytest.param(
        "FYI\n\nSent from my iPhone\n\nBegin forwarded message:\n\nFrom: A <a@example.com>\nDate: x\n\n> in the forward",
        "FYI\n\nBegin forwarded message:\n\nFrom: A <a@example.com>\nDate: x\n\n> in the forward",
        id="apple-forward-kept-signature-above-it-cut",
    ),
    pytest.param(
        "Look at this\n\nOn Mon, 1 Dec 2026 at 10:00, Anna <a@example.com> wrote:\n"
        "> ---------- Forwarded message ---------\n> From: Courier",
        "Look at this",
        id="forward-inside-quoted-history-goes-with-it",
    ),
    pytest.param("Thanks\n-- \nAnna Example\n+30 210 000 0000", "Thanks", id="sig-dash"),
    pytest.param("Thanks\n--\nAnna Example", "Thanks", id="sig-dash-without-trailing-space"),
    pytest.param("Thanks\n\nSent from my iPhone", "Thanks", id="sent-from-my-iphone"),
    pytest.param("Thanks\n\nSent from my Android device", "Thanks", id="sent-from-my-android"),
    pytest.param("Thanks\n\nGet Outlook for iOS<https://aka.ms/o0ukef>", "Thanks", id="get-outlook-for-ios"),
    pytest.param("Dzięki\n\nWysłane z iPhone'a", "Dzięki", id="wyslane-z-iphonea"),
    pytest.param("Ευχαριστώ\n\nΣτάλθηκε από το iPhone μου", "Ευχαριστώ", id="stalthike-apo-to-iphone-mou"),
    pytest.param("תודה\n\nנשלח מה-iPhone שלי", "תודה", id="nishlach-me-iphone-sheli"),
    pytest.param(
        "Thanks\n\nSent from my iPhone\n\nOn 1 Dec 2026, at 10:00, Shop <s@shop.example> wrote:\n\n> old",
        "Thanks",
        id="phone-signature-above-the-quote",
    ),
    pytest.param(
        "Sent from your warehouse on Monday, the parcel never came.\n\nAnna",
        "Sent from your warehouse on Monday, the parcel never came.\n\nAnna",
        id="sent-from-as-the-customer-writes-it-not-last",
    ),
    pytest.param("> q1\nanswer1\n\n> q2\nanswer2", "> q1\nanswer1\n\n> q2\nanswer2", id="interleaved-answers-kept"),
    pytest.param("answer\n\n> old 1\n>\n> old 2\n\n", "answer", id="trailing-quote-block"),
    pytest.param(
        "Hi\n\nEl lun, 1 dic 2026 a las 10:00, Shop (<s@shop.example>) escribió:\n> viejo",
        "Hi",
        id="unknown-language-attribution-above-the-quote",
    ),
    pytest.param(
        "On Monday I ordered EM-10042.\nMy friend wrote:\nthe box was open",
        "On Monday I ordered EM-10042.\nMy friend wrote:\nthe box was open",
        id="sentence-then-wrote-is-no-attribution",
    ),
    pytest.param(
        "On Monday, my neighbour wrote:\nsomething without a date",
        "On Monday, my neighbour wrote:\nsomething without a date",
        id="attribution-needs-a-date",
    ),
    pytest.param("> only a quote\n> more\n", "> only a quote\n> more", id="only-quote-kept-whole"),
    pytest.param("-- \nonly a signature", "-- \nonly a signature", id="only-signature-kept-whole"),
    pytest.param(
        "On Mon, 1 Dec 2026 at 10:00, Shop <s@shop.example> wrote:\n> old",
        "On Mon, 1 Dec 2026 at 10:00, Shop <s@shop.example> wrote:\n> old",
        id="nothing-above-the-attribution-kept-whole",
    ),
    pytest.param(
        "First paragraph.\n\nSecond paragraph,\nwith two lines.\n\n\n\n",
        "First paragraph.\n\nSecond paragraph,\nwith two lines.",
        id="paragraphs-kept-trailing-blank-lines-gone",
    ),
    pytest.param("Windows\r\nline ends\r\n\r\n> old\r\n", "Windows\nline ends", id="crlf"),
    pytest.param("", "", id="empty"),
    pytest.param("\n \n", "", id="blank"),
]


@pytest.mark.parametrize(("text", "expected"), TRIM_CASES)
def test_trim_reply(text: str, expected: str) -> None:
    assert trim_reply(text) == expected


# -- order and return numbers --------------------------------------------------------------------

# (text, order_numbers(text), return_numbers(text))
NUMBER_CASES = [
    pytest.param("Order EM-10042 please", ["EM-10042"], [], id="prefixed"),
    pytest.param(
        "em 10042 and em-10043 and Em10044", ["EM-10042", "EM-10043", "EM-10044"], [], id="case-and-separators"
    ),
    pytest.param("(#EM-10042), EM-10043.", ["EM-10042", "EM-10043"], [], id="hash-and-punctuation"),
    pytest.param("EM-10043 then EM-10042 then EM-10043", ["EM-10043", "EM-10042"], [], id="unique-in-order"),
    pytest.param("EM-010042", ["EM-10042"], [], id="leading-zero-normalised"),
    pytest.param("EM-100421x ITEM-10042 XEM-10042 EM-10042x", [], [], id="never-inside-a-longer-token"),
    pytest.param("EM-1004 em 2026", [], [], id="fewer-than-five-digits"),
    pytest.param("my order 10045 and order #10046", ["EM-10045", "EM-10046"], [], id="after-order"),
    pytest.param(
        "Order no. 10047, order nr 10048, order number 10049",
        ["EM-10047", "EM-10048", "EM-10049"],
        [],
        id="order-no-nr-number",
    ),
    pytest.param("reorder 10050, border 10051", [], [], id="order-inside-a-word"),
    pytest.param("order 10052x", [], [], id="order-number-inside-a-longer-token"),
    pytest.param(
        "zamówienie nr 10053, zamowienia 10054, w zamówieniu #10055",
        ["EM-10053", "EM-10054", "EM-10055"],
        [],
        id="polish",
    ),
    pytest.param(
        "παραγγελία αρ. 10056, ΠΑΡΑΓΓΕΛΙΑΣ 10057, παραγγελια 10058",
        ["EM-10056", "EM-10057", "EM-10058"],
        [],
        id="greek",
    ),
    pytest.param(
        "הזמנה 10059, בהזמנה מס' 10060, ההזמנה מספר 10061", ["EM-10059", "EM-10060", "EM-10061"], [], id="hebrew"
    ),
    pytest.param("an order of 10062 mugs? no: 10063", [], [], id="order-then-other-words"),
    pytest.param("return EM-10042-R1 please", [], ["EM-10042-R1"], id="return-is-not-an-order-number"),
    pytest.param(
        "em-10042-r2, EM 10043 R1, EM-10042-R2, EM-010044-R01",
        [],
        ["EM-10042-R2", "EM-10043-R1", "EM-10044-R1"],
        id="returns-normalised-unique",
    ),
    pytest.param("EM-10042-R1x EM-10042-R12345", [], [], id="return-inside-a-longer-token"),
    pytest.param(
        "Order EM-10042 and its return EM-10042-R1",
        ["EM-10042"],
        ["EM-10042-R1"],
        id="order-and-return-side-by-side",
    ),
    pytest.param("", [], [], id="empty"),
]


@pytest.mark.parametrize(("text", "orders", "returns"), NUMBER_CASES)
def test_numbers(text: str, orders: list[str], returns: list[str]) -> None:
    assert (order_numbers(text), return_numbers(text)) == (orders, returns)


# -- bodies: charsets, encodings, structure ------------------------------------------------------


def single(content_type: str, body: bytes, encoding: str = "8bit") -> bytes:
    return (
        b"From: a@example.com\r\nMessage-ID: <b@example.com>\r\nContent-Type: "
        + content_type.encode()
        + b"\r\nContent-Transfer-Encoding: "
        + encoding.encode()
        + b"\r\n\r\n"
        + body
    )


def alternative(plain: bytes, html: bytes) -> bytes:
    return (
        b'From: a@example.com\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + plain + b"\r\n"
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + b"\r\n--b--\r\n"
    )


# (raw, parse(raw).text)
BODY_CASES = [
    pytest.param(single("text/plain", "Γεια σας".encode()), "Γεια σας", id="no-charset-8bit-utf8"),
    pytest.param(
        single("text/plain; charset=us-ascii", b"Caf\xe9 cr\xe8me"), "Café crème", id="ascii-declared-latin1-sent"
    ),
    pytest.param(single("text/plain; charset=x-klingon", "Zażółć".encode()), "Zażółć", id="unknown-charset-utf8-sent"),
    pytest.param(single("text/plain; charset=base64", b"plain text"), "plain text", id="charset-names-a-bytes-codec"),
    pytest.param(
        single("text/plain; charset=iso-8859-8-i", "שלום".encode("iso-8859-8")), "שלום", id="iso-8859-8-i-hebrew"
    ),
    pytest.param(single("text/plain; charset=windows-1255", "תודה".encode("cp1255")), "תודה", id="windows-1255-hebrew"),
    pytest.param(
        single("text/plain; charset=ISO-8859-2", "Zamówienie nie dotarło".encode("iso-8859-2")),
        "Zamówienie nie dotarło",
        id="iso-8859-2-polish-8bit",
    ),
    pytest.param(
        single("text/plain; charset=windows-1253", "Ευχαριστώ".encode("cp1253")), "Ευχαριστώ", id="windows-1253-greek"
    ),
    pytest.param(
        single("text/plain; charset=utf-8", b"broken \xc3 byte"), "broken \ufffd byte", id="utf8-declared-broken-byte"
    ),
    pytest.param(
        single("text/plain", "Zażółć".encode() + b" \xff"), "Zażółć \ufffd", id="undeclared-utf8-with-a-broken-byte"
    ),
    pytest.param(
        single("text/plain; charset=utf-8", "Café".encode("cp1252")), "Caf\ufffd", id="utf8-declared-is-trusted"
    ),
    pytest.param(
        single("text/plain; charset=utf-8", b"SGVsbG8g!!\r\nd29ybGQ=", "base64"),
        "Hello world",
        id="base64-with-junk-characters",
    ),
    pytest.param(
        single("text/plain; charset=utf-8", b"caf=C3=A9 =\r\nsoft break=ZZ", "quoted-printable"),
        "café soft break=ZZ",
        id="quoted-printable-bad-escape-kept",
    ),
    pytest.param(single("text/plain; charset=utf-8", b"as is", "x-unknown"), "as is", id="unknown-transfer-encoding"),
    pytest.param(
        single("text/plain; charset=utf-8", b"nul\x00 and \x07bell\ttab"),
        "nul and bell    tab",
        id="control-characters-out",
    ),
    pytest.param(
        single("text/plain; charset=utf-8", b"old\rmac\r\nand\nmixed\r\n\r\n"),
        "old\nmac\nand\nmixed",
        id="line-ends-normalised",
    ),
    pytest.param(
        single(
            "text/plain; charset=utf-8; format=flowed",
            b"This is one \r\nlong line.\r\n>> quoted \r\n>> too\r\n -- \r\nplain",
        ),
        "This is one long line.\n>> quoted too\n-- \nplain".replace("-- \n", "--\n"),
        id="format-flowed-joined-space-stuffing-undone",
    ),
    pytest.param(
        single("text/plain; charset=utf-8; format=flowed; delsp=yes", b"Zusammen \r\ngeschrieben"),
        "Zusammengeschrieben",
        id="format-flowed-delsp",
    ),
    pytest.param(alternative(b"plain wins", b"<p>html</p>"), "plain wins", id="alternative-plain-preferred"),
    pytest.param(
        alternative(b"  \r\n", b"<p>html &amp; more</p>"), "html & more", id="alternative-blank-plain-html-used"
    ),
    pytest.param(single("text/html; charset=utf-8", b"<p>only <b>html</b></p>"), "only html", id="html-only"),
    pytest.param(
        single("text/html; charset=utf-8", b"<div>Yes</div><blockquote><div>old</div></blockquote>"),
        "Yes\n> old",
        id="html-blockquote-as-quote",
    ),
    pytest.param(
        b'From: a@example.com\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\n%PDF\r\n--b--\r\n",
        "",
        id="attachment-only-no-text",
    ),
    pytest.param(single("image/png", b"\x89PNG"), "", id="single-image-part-no-text"),
]


@pytest.mark.parametrize(("raw", "expected"), BODY_CASES)
def test_body_text(raw: bytes, expected: str) -> None:
    assert parse(raw).text == expected


def part(headers: str, body: bytes) -> bytes:
    return b"--b\r\n" + headers.replace("\n", "\r\n").encode() + b"\r\n\r\n" + body + b"\r\n"


def mixed(*parts: bytes) -> bytes:
    return (
        b'From: a@example.com\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' + b"".join(parts) + b"--b--\r\n"
    )


TEXT_BODY = part("Content-Type: text/plain", b"See attached.")

# (raw, parse(raw).attachments)
ATTACHMENT_CASES = [
    pytest.param(mixed(TEXT_BODY), (), id="none"),
    pytest.param(
        mixed(TEXT_BODY, part("Content-Type: image/jpeg; name=photo.jpg", b"JPEG")),
        (Attachment("photo.jpg", "image/jpeg", b"JPEG"),),
        id="non-text-with-name-no-disposition",
    ),
    pytest.param(
        mixed(TEXT_BODY, part("Content-Type: image/jpeg", b"JPEG")), (), id="non-text-without-name-or-disposition"
    ),
    pytest.param(
        mixed(TEXT_BODY, part("Content-Type: text/plain\nContent-Disposition: attachment; filename=notes.txt", b"n")),
        (Attachment("notes.txt", "text/plain", b"n"),),
        id="text-with-attachment-disposition",
    ),
    pytest.param(
        mixed(TEXT_BODY, part("Content-Type: text/plain\nContent-Disposition: inline", b"more text")),
        (),
        id="inline-text-is-no-attachment",
    ),
    pytest.param(
        mixed(
            TEXT_BODY,
            part(
                'Content-Type: application/pdf\nContent-Disposition: attachment; filename="=?utf-8?q?faktura_=C5=BC.pdf?="',
                b"%PDF",
            ),
        ),
        (Attachment("faktura ż.pdf", "application/pdf", b"%PDF"),),
        id="encoded-word-file-name",
    ),
    pytest.param(
        mixed(
            TEXT_BODY,
            part(
                'Content-Type: application/pdf\nContent-Disposition: attachment; filename="C:\\\\Users\\\\x\\\\..invoice.pdf"',
                b"%PDF",
            ),
        ),
        (Attachment("invoice.pdf", "application/pdf", b"%PDF"),),
        id="windows-path-and-leading-dots-stripped",
    ),
    pytest.param(
        mixed(
            TEXT_BODY, part('Content-Type: application/zip\nContent-Disposition: attachment; filename="../.."', b"PK")
        ),
        (Attachment("attachment-2.zip", "application/zip", b"PK"),),
        id="nothing-left-of-the-name-made-up",
    ),
    pytest.param(
        mixed(TEXT_BODY, part("Content-Type: application/x-emporos-unknown\nContent-Disposition: attachment", b"?")),
        (Attachment("attachment-2.bin", "application/x-emporos-unknown", b"?"),),
        id="unknown-type-made-up-name",
    ),
    pytest.param(
        mixed(
            TEXT_BODY,
            part(
                f'Content-Type: application/pdf\nContent-Disposition: attachment; filename="{"a" * 300}.pdf"', b"%PDF"
            ),
        ),
        (Attachment("a" * 196 + ".pdf", "application/pdf", b"%PDF"),),
        id="long-name-cut-extension-kept",
    ),
    pytest.param(
        mixed(
            TEXT_BODY,
            part("Content-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64", b"!!not base64!!"),
        ),
        (Attachment("a.pdf", "application/pdf", b"!!not base64!!"),),
        id="undecodable-base64-kept-as-received",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), ATTACHMENT_CASES)
def test_attachments(raw: bytes, expected: tuple[Attachment, ...]) -> None:
    assert parse(raw).attachments == expected


# -- HTML to text --------------------------------------------------------------------------------

HTML_CASES = [
    pytest.param(
        "<html><head><style>p{color:red}</style><title>T</title></head><body><div>Hello</div><div><br></div>"
        "<div>Thanks &amp; bye&nbsp;now</div><script>alert(1)</script></body></html>",
        "Hello\n\nThanks & bye now",
        id="gmail-divs-entities-script-style-head-dropped",
    ),
    pytest.param(
        "<p class=MsoNormal>Hello<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Thanks</p>",
        "Hello\n\nThanks",
        id="outlook-empty-paragraphs-collapse",
    ),
    pytest.param("line one<br>line two<br/><br />line four", "line one\nline two\n\nline four", id="br"),
    pytest.param("<p>one</p>\n\n   <p>two\n   words</p>", "one\n\ntwo words", id="source-whitespace-collapsed"),
    pytest.param("<ul><li>one</li><li>two</li></ul>after", "- one\n- two\n\nafter", id="list-items"),
    pytest.param(
        "<table><tr><td>Mug</td><td>1</td></tr><tr><td>Cup</td><td>2</td></tr></table>", "Mug 1\nCup 2", id="table-rows"
    ),
    pytest.param("<pre>  indented\n  code</pre>", "  indented\n  code", id="pre-kept"),
    pytest.param(
        "<div>Reply</div><div class=gmail_quote>On Mon, 1 Dec 2026 at 10:00, Shop &lt;s@x&gt; wrote:<br>"
        "<blockquote><div>old<br>text</div><blockquote>older</blockquote></blockquote></div>",
        "Reply\nOn Mon, 1 Dec 2026 at 10:00, Shop <s@x> wrote:\n> old\n> text\n> > older",
        id="nested-blockquotes",
    ),
    pytest.param("&#x5E9;&#1500;&#x05D5;&#x05DD; &euro;5 &lt;b&gt;", "שלום €5 <b>", id="character-references"),
    pytest.param("<p>unclosed <b>bold<p>next", "unclosed bold\n\nnext", id="unclosed-tags"),
    pytest.param("<!--[if mso]><p>mso only</p><![endif]--><p>seen</p>", "seen", id="conditional-comment"),
    pytest.param("<![if !supportLists]>- <![endif]>item", "- item", id="word-marked-section"),
    pytest.param("before<style>never closed", "before", id="unclosed-style"),
    pytest.param("", "", id="empty"),
    pytest.param("<p>text</p", "text", id="truncated-tag"),
]


@pytest.mark.parametrize(("markup", "expected"), HTML_CASES)
def test_html_to_text(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


# -- hostile and broken input: degrade, never raise ----------------------------------------------


def deeply_nested(levels: int) -> bytes:
    opening = b"".join(b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i) for i in range(levels))
    return b"From: a@example.com\r\nSubject: deep\r\nMessage-ID: <deep@example.com>\r\n" + opening + b"\r\ndeep\r\n"


# (raw, (sender_email, subject, text, attachments))
BROKEN_CASES = [
    pytest.param(b"", ("", "", "", ()), id="empty"),
    pytest.param(b"From: a@example.com\r\nSubject: s", ("a@example.com", "s", "", ()), id="headers-only-no-newline"),
    pytest.param(
        b"From: a@example.com\r\nSubject: s\r\nthis line is no header\r\n\r\nbody",
        ("a@example.com", "s", "this line is no header\n\nbody", ()),
        id="body-without-a-blank-line",
    ),
    pytest.param(
        b"From: a@example.com\nSubject: s\n\nbare LF line ends\n",
        ("a@example.com", "s", "bare LF line ends", ()),
        id="bare-lf",
    ),
    pytest.param(
        b"From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\nno boundary parameter\r\n",
        ("a@example.com", "", "", ()),
        id="multipart-without-boundary",
    ),
    pytest.param(
        b'From: a@example.com\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nnever closed',
        ("a@example.com", "", "never closed", ()),
        id="multipart-never-closed",
    ),
    pytest.param(
        b'From: a@example.com\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\nthe boundary never comes\r\n',
        ("a@example.com", "", "", ()),
        id="multipart-boundary-never-appears",
    ),
    pytest.param(
        b"From: a@example.com\r\nContent-Type: ;;;/\r\n\r\nstill text\r\n",
        ("a@example.com", "", "still text", ()),
        id="content-type-garbage-read-as-text-plain",
    ),
    pytest.param(
        b'From: a@example.com\r\nContent-Type: text/plain; charset="\r\n\r\nunclosed quote\r\n',
        ("a@example.com", "", "unclosed quote", ()),
        id="content-type-parameter-unclosed-quote",
    ),
    pytest.param(
        b"From: a\x00b@example.com\r\nSubject: nul\x00in\x00subject\r\n\r\nx",
        ("", "nul in subject", "x", ()),
        id="nul-bytes-in-headers",
    ),
    pytest.param(
        b"From: =?utf-8?b?!!!?= <a@example.com>\r\nSubject: =?utf-8?q?=ZZ?= =?bogus?=\r\n\r\nx",
        ("a@example.com", "=?utf-8?q?=ZZ?= =?bogus?=", "x", ()),
        id="broken-encoded-words",
    ),
    pytest.param(
        b"From: a@example.com\r\nSubject: " + b"long " * 20000 + b"\r\n\r\nx",
        ("a@example.com", ("long " * 800).strip(), "x", ()),
        id="hundred-kilobyte-subject-read-to-4000-characters",
    ),
    pytest.param(
        b"From: a@example.com\r\nContent-Type: message/rfc822\r\n\r\nnot really a message",
        ("a@example.com", "", "", ()),
        id="top-level-message-rfc822",
    ),
    pytest.param(
        b"From: a@example.com\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n\xff\xfe\x00\x01",
        ("a@example.com", "", "", ()),
        id="binary-junk-as-base64",
    ),
    pytest.param(
        deeply_nested(3000), ("a@example.com", "deep", "", ()), id="nesting-deeper-than-the-stack-headers-kept"
    ),
    pytest.param(bytes(range(128, 256)), ("", "", "\ufffd" * 128, ()), id="every-high-byte-value"),
]


@pytest.mark.parametrize(("raw", "expected"), BROKEN_CASES)
def test_broken_input_degrades(raw: bytes, expected: tuple[object, ...]) -> None:
    parsed = parse(raw)
    assert (parsed.sender_email, parsed.subject, parsed.text, parsed.attachments) == expected
    assert parsed.message_id
    assert "\x00" not in parsed.text + parsed.subject + parsed.sender_name
