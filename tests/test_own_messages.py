from markupsafe import Markup

from odoo.tests import tagged

from .common import DataprotectCase

# An e-mail from the buyer as a mail client sends it: a display name,
# quoted-printable text and HTML, a photo attached. It names the neighbour
# who took the parcel in, a value no harvest knows.
INCOMING = """\
From: "Mustermann, Erika" <{email}>
To: shop@example.com
Subject: =?utf-8?q?Paket_beim_Nachbarn_=E2=80=93_{order}?=
Message-ID: <own-1@mail.example.de>
Date: Mon, 2 Sep 2024 10:00:00 +0200
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Guten Tag,
das Paket liegt bei meinem Nachbarn J=C3=BCrgen Sch=C3=BCtz, Lindenallee 5.
Gr=C3=BC=C3=9Fe

--inner
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

<p>Guten Tag,<br>das Paket liegt bei meinem Nachbarn J=C3=BCrgen Sch=C3=BCtz,=
 Lindenallee 5.</p><p>Gr=C3=BC=C3=9Fe</p>

--inner--

--outer
Content-Type: image/jpeg; name="Paket_Nachbar.jpg"
Content-Disposition: attachment; filename="Paket_Nachbar.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsK

--outer--
"""


@tagged("post_install", "-at_install")
class TestOwnMessages(DataprotectCase):
    """The buyer's own messages (the e-mails they sent, what they wrote) are
    theirs entirely: after the job their text and files are gone, whatever
    they named, and a note says so; the seller's own notes about the buyer
    are scrubbed and kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls._buyer("Eigen")
        cls.order = cls._order(cls.buyer, shipped_days_ago=45)
        raw = INCOMING.format(email=cls.buyer.email, order=cls.order.name)
        cls.env["mail.thread"].message_process(
            "sale.order", raw, thread_id=cls.order.id
        )
        cls.incoming = cls.env["mail.message"].search(
            [("message_id", "=", "<own-1@mail.example.de>")]
        )
        cls.photo = cls.incoming.attachment_ids
        # the seller's note about the neighbour and the buyer
        cls.note = cls.order.message_post(
            body=Markup(f"<p>{cls.buyer.name} sagt: Paket bei Jürgen Schütz</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        # an e-mail from the buyer's address that Odoo could not link to a
        # partner (sent before the partner existed)
        cls.unknown = cls.order.message_post(
            body=Markup("<p>Bitte an Jürgen Schütz liefern</p>"),
            message_type="email",
            author_id=False,
            email_from=f"E. Mustermann <{cls.buyer.email.upper()}>",
        )
        # a carrier's e-mail on the buyer's order: not the buyer's own
        cls.carrier = cls.order.message_post(
            body=Markup("<p>Zugestellt an Nachbar Jürgen Schütz</p>"),
            message_type="email",
            author_id=False,
            email_from="DHL Paket <noreply@dhl.example>",
        )

    def test_the_e_mail_is_planted_as_a_mail_client_sends_it(self):
        self.assertEqual(self.incoming.author_id, self.buyer)
        self.assertEqual(self.incoming.message_type, "email")
        self.assertIn("Jürgen Schütz", str(self.incoming.body))
        self.assertIn("Mustermann, Erika", self.incoming.email_from)
        self.assertEqual(self.photo.name, "Paket_Nachbar.jpg")
        self.assertEqual(
            (self.photo.res_model, self.photo.res_id), ("sale.order", self.order.id)
        )
        self.assertFalse(self.unknown.author_id)

    def test_the_buyers_own_messages_are_removed_with_a_note(self):
        self._run_cron()
        self.assertTrue(self.order.dataprotect_anonymized_at)
        for message in (self.incoming, self.unknown):
            self.assertNotIn("Schütz", str(message.body))
            self.assertIn("Message of the buyer removed", str(message.body))
            self.assertFalse(message.email_from)
            self.assertFalse(message.subject)
        self.assertFalse(self.photo.exists())
        # the seller's note stays, the buyer's name in it replaced (a name no
        # harvest knows stays in the seller's own notes: a limit)
        self.assertIn("Anonymized sagt: Paket bei Jürgen Schütz", str(self.note.body))
        # an e-mail from someone else is scrubbed, not removed
        self.assertIn("Zugestellt an Nachbar Jürgen Schütz", str(self.carrier.body))
        self.assertEqual(self.carrier.email_from, "DHL Paket <noreply@dhl.example>")

    def test_the_note_is_in_the_language_of_the_job(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["dataprotect"], ["de_DE"])
        self.env.ref("base.user_root").lang = "de_DE"
        self._run_cron()
        self.assertIn("Nachricht des Käufers entfernt", str(self.incoming.body))
