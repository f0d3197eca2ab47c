import re
import unicodedata
from datetime import timedelta

from markupsafe import Markup

from odoo.tests import tagged

from odoo.addons.dataprotect.matcher import Folded

from .common import NOW, DataprotectCase

NAME = "İlkay Yılmaz"
EMAIL = "ilkay.yilmaz+amazon@example.de"
STREET = "Großkücherstraße 5"


@tagged("post_install", "-at_install")
class TestRealText(DataprotectCase):
    """The buyer written the way editors, mail clients and people write
    them, planted where sellers have it (chatter from the editor and from
    e-mails, activities, queued mails): after the job none of these forms is
    left, the markup around them is whole, and another customer's name and
    ordinary words in the same texts stay."""

    # {form: HTML body of a note, as Odoo's editor or a mail client stores it}
    FORMS = {
        "editor bold and nbsp": "<p>Rückruf: <b>İlkay</b>&nbsp;Yılmaz, bitte</p>",
        "line break": "<p>Lieferung an<br>İlkay<br>Yılmaz<br>Deutschland</p>",
        "table cells": "<table><tr><td>İlkay</td><td>Yılmaz</td>"
        "<td>Kunde seit 2024</td></tr></table>",
        "double space": "<p>Anruf von İlkay  Yılmaz heute</p>",
        "decomposed (NFD)": "<p>Kunde: " + unicodedata.normalize("NFD", NAME) + "</p>",
        "upper case": "<p>EMPFÄNGER: İLKAY YILMAZ</p>",
        "dotless and dotted i typed plainly": "<p>Ilkay Yilmaz hat angerufen</p>",
        "zero-width and soft hyphen": "<p>İl\u200bkay Yıl\u00admaz</p>",
        "full-width letters": "<p>ｉｌｋａｙ　ｙｉｌｍａｚ</p>",
        "street in capitals, ss": "<p>GROSSKÜCHERSTRASSE 5, Köln</p>",
        "street abbreviated": "<p>Großkücherstr. 5 und GROSSKÜCHERSTR 5</p>",
        "street split by a tag, entities": (
            "<p>Gro&szlig;k&uuml;cher<wbr>stra&szlig;e 5</p>"
        ),
        "url-encoded e-mail": '<p><a href="mailto:ilkay.yilmaz%2Bamazon%40example.de">'
        "Mail</a></p>",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls._buyer("Text", name=NAME, email=EMAIL, street=STREET)
        cls.order = cls._order(cls.buyer, shipped_days_ago=45)
        cls.other = cls._buyer("Andere", name="İlkay Demir")
        cls.messages = {
            form: cls.order.message_post(
                body=Markup(body + "<p>Kollege: İlkay Demir. Koch und Weber</p>")
            )
            for form, body in cls.FORMS.items()
        }
        cls.planted = {form: str(m.body) for form, m in cls.messages.items()}
        # an e-mail from the buyer, with Outlook's display name
        cls.incoming = cls.order.message_post(
            body=Markup("<p>Wo bleibt meine Bestellung?</p>"),
            message_type="email",
            email_from=f'"Yılmaz, İlkay" <{EMAIL}>',
        )
        cls.activity = cls.order.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=f"{NAME.upper()} zurückrufen",
            note=Markup(
                f"<p>Nummer von <i>{NAME.split()[0]}</i> {NAME.split()[1]}</p>"
            ),
        )

    VALUES = (
        "ilkay yilmaz",
        "grosskucherstr",
        "ilkay.yilmaz+amazon@example.de",
    )

    def _folded(self, text):
        return Folded(str(text or ""), True).text

    def test_the_forms_are_planted_as_stored(self):
        """Each planted body holds the buyer (folded), and not as an exact
        copy of any of their values."""
        for form, message in self.messages.items():
            body = str(message.body)
            with self.subTest(form):
                self.assertTrue(any(v in self._folded(body) for v in self.VALUES))
                for value in (NAME, STREET, EMAIL):
                    self.assertNotIn(value, body)

    def test_every_form_is_gone_and_the_markup_stays_whole(self):
        self._run_cron()
        self.assertTrue(self.order.dataprotect_anonymized_at)
        for form, message in self.messages.items():
            body = str(message.body)
            with self.subTest(form):
                folded = self._folded(body)
                for value in self.VALUES:
                    self.assertNotIn(value, folded)
                self.assertNotIn("%40example", body)
                self.assertIn("Anonymized", body)
                # the tags are all there, in their order
                self.assertEqual(
                    re.findall(r"</?\w+", body),
                    re.findall(r"</?\w+", self.planted[form]),
                )
                # another customer's name and ordinary words stay
                self.assertIn("İlkay Demir", body)
                self.assertIn("Koch und Weber", body)
        self.assertNotIn("yilmaz", self._folded(self.incoming.email_from))
        self.assertNotIn("ilkay", self._folded(self.incoming.email_from))
        self.assertNotIn("yilmaz", self._folded(self.activity.summary))
        self.assertNotIn("yilmaz", self._folded(self.activity.note))
        self.assertIn("<i>", str(self.activity.note))
        self.assertEqual(self.other.name, "İlkay Demir")

    def test_a_capital_dotted_i_is_found_as_an_exact_copy(self):
        """Regression: lower-casing ``İ`` gives two characters, and the old
        matcher then never found a value holding it, not even as typed."""
        message = self.order.message_post(
            body=Markup(f"<p>Kunde {NAME}, {STREET}</p>"),
            email_from=f"{NAME} <{EMAIL}>",
        )
        activity = self.order.activity_schedule(
            "mail.mail_activity_data_todo", summary=f"{NAME} anrufen"
        )
        self._run_cron()
        for text in (str(message.body), message.email_from, activity.summary):
            self.assertNotIn("İlkay", text)
            self.assertIn("Anonymized", text)

    def test_the_copies_odoo_keeps_elsewhere(self):
        """Copies Odoo writes of the order's and the invoice's texts, a
        bounce's reason and a scheduled message lose the buyer's values; the
        marketplace's order number stays."""
        buyer = self._buyer("Kopien")
        values = (buyer.email, buyer.name)
        order = self._order(
            buyer,
            shipped_days_ago=45,
            reference=f"302-1234567-7654321 {buyer.email}",
        )
        moves = order.order_line.move_ids
        invoice_lines = order.invoice_ids.line_ids
        # as Odoo wrote them: the order's name and reference on the moves, the
        # invoice's reference on its lines
        self.assertIn(buyer.email, moves[0].origin)
        self.assertIn(buyer.email, invoice_lines[0].ref)
        # a bounce, as Odoo's mail queue records it
        mail = self.env["mail.mail"].create(
            {
                "model": "sale.order",
                "res_id": order.id,
                "subject": "Ihre Bestellung",
                "body_html": "<p>Ihre Bestellung ist unterwegs</p>",
                "email_to": buyer.email,
            }
        )
        mail.write(
            {
                "state": "exception",
                "failure_reason": f"550 5.1.1 <{buyer.email}>: Recipient address "
                "rejected: User unknown",
            }
        )
        # a message scheduled from the composer, to be posted later
        scheduled = self.env["mail.scheduled.message"].create(
            {
                "model": "sale.order",
                "res_id": order.id,
                "author_id": self.env.user.partner_id.id,
                "subject": f"Nachfrage bei {buyer.name}",
                "body": Markup(f"<p>Hallo {buyer.name}, ist alles angekommen?</p>"),
                "scheduled_date": NOW + timedelta(days=365),
            }
        )
        self._run_cron()
        self.assertTrue(order.dataprotect_anonymized_at)
        texts = (
            moves.mapped("origin")
            + invoice_lines.mapped("ref")
            + [mail.failure_reason, scheduled.subject, str(scheduled.body)]
        )
        for text in texts:
            for value in values:
                self.assertNotIn(value, text or "")
        self.assertIn("302-1234567-7654321", moves[0].origin)
        self.assertIn("302-1234567-7654321", invoice_lines[0].ref)

    def test_phone_numbers_written_otherwise(self):
        """The buyer's mobile number written the ways people write it is
        replaced; the order number and another customer's number, which end
        differently, stay."""
        buyer = self._buyer("Telefon", mobile="+49 157 30458817")
        order = self._order(buyer, shipped_days_ago=45)
        forms = [
            "+4915730458817",
            "0157 30458817",
            "0157-304 588 17",
            "+49 (0)157 30458817",
            "0049 157 30458817",
            "(0157) 304 588 17",
        ]
        message = order.message_post(
            body=Markup(
                "<ul>"
                + "".join(f"<li>Tel. {form}</li>" for form in forms)
                + "<li>Bestellung 302-1234567-7654321, Kollege +49 157 30458818</li>"
                "</ul>"
            )
        )
        self._run_cron()
        body = str(message.body)
        for form in forms:
            self.assertNotIn(form, body)
        self.assertEqual(body.count("Anonymized"), len(forms))
        self.assertIn("302-1234567-7654321", body)
        self.assertIn("+49 157 30458818", body)

    def test_a_name_part_after_a_salutation(self):
        """A surname or first name alone is replaced where a salutation names
        the buyer by it, and kept where it is an ordinary word: a buyer named
        Koch, in a note that also speaks of a cook."""
        buyer = self._buyer("Anrede", name="Anna Koch")
        order = self._order(buyer, shipped_days_ago=45)
        planted = {
            "<p>Sehr geehrter Herr Koch, danke für Ihre Bestellung.</p>": "Herr",
            "<p>Sehr geehrte/r Koch, Ihre Lieferung ist unterwegs.</p>": "geehrte/r",
            "<p>Hallo Anna,<br>kurze Rückfrage.</p>": "Hallo",
            "<p>Liebe Frau&nbsp;<b>Koch</b></p>": "Frau",
        }
        messages = {
            body: order.message_post(body=Markup(body + "<p>Der Koch kocht.</p>"))
            for body in planted
        }
        self._run_cron()
        for body, salutation in planted.items():
            text = str(messages[body].body)
            with self.subTest(body):
                self.assertIn(f"{salutation}", text)
                self.assertIn("Anonymized", text)
                self.assertNotIn("Anna", text)
                self.assertEqual(text.count("Koch"), 1, text)
                self.assertIn("Der Koch kocht.", text)

    def test_every_address_of_an_e_mail_field(self):
        """A partner's e-mail field holding two addresses: each is replaced
        where it is written alone."""
        buyer = self._buyer(
            "Zwei", email="zwei.privat@example.de, zwei.arbeit@example.org"
        )
        order = self._order(buyer, shipped_days_ago=45)
        message = order.message_post(
            body=Markup(
                "<p>Antwort an zwei.arbeit@example.org, Kopie an "
                "<a href='mailto:zwei.privat@example.de'>privat</a></p>"
            )
        )
        self._run_cron()
        body = str(message.body)
        self.assertNotIn("zwei.arbeit", body)
        self.assertNotIn("zwei.privat", body)
        self.assertIn("Kopie an", body)

    def test_earlier_values_from_tracked_changes(self):
        """The buyer corrected their e-mail address, phone and street (Odoo
        tracked the changes): a mail sent from the earlier address, and a
        note quoting the earlier number and street, lose them too."""
        buyer = self._buyer("Frueher", email="erika.tippfehler@example.de")
        # (the tests' environment has tracking off; Odoo tracks no change
        # in the transaction that created the record)
        self.env.cr.flush()
        buyer.with_context(tracking_disable=False, mail_notrack=False).write(
            {
                "email": "erika.richtig@example.de",
                "phone": "+49 221 5550199",
                "street": "Neue Gasse 4",
            }
        )
        # Odoo writes tracked changes when the transaction ends
        self.env.cr.flush()
        self.assertTrue(
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "res.partner"),
                    ("mail_message_id.res_id", "=", buyer.id),
                    ("old_value_char", "=", "erika.tippfehler@example.de"),
                ]
            )
        )
        order = self._order(buyer, shipped_days_ago=45)
        mail = order.message_post(
            body=Markup(
                "<p>Bestätigung bitte an erika.tippfehler@example.de, "
                "Rückruf +49 221 " + self._digits("Frueher") + "</p>"
            ),
            email_from="Erika <erika.tippfehler@example.de>",
        )
        note = order.message_post(
            body=Markup("<p>Alte Anschrift: Heidestrasse Frueher 17</p>")
        )
        self._run_cron()
        for text in (str(mail.body), mail.email_from or "", str(note.body)):
            self.assertNotIn("tippfehler", text)
            self.assertNotIn(self._digits("Frueher"), text)
            self.assertNotIn("Heidestrasse", text)
        self.assertIn("Bestätigung bitte an", str(mail.body))
        self.assertIn("Alte Anschrift", str(note.body))

    def test_umlauts_written_out_and_typed(self):
        """Umlauts written out where a keyboard or a marketplace lacks them,
        either way: the buyer ``Jürgen Müller`` in ``Herr Mueller`` and
        ``JUERGEN MUELLER``; the buyer ``Michael Koehler`` in ``Michael
        Köhler``. Another customer, Michal Kohler, stays."""
        umlaut = self._buyer("Umlaut", name="Jürgen Müller")
        spelled = self._buyer("Spelled", name="Michael Koehler")
        orders = self._order(umlaut, shipped_days_ago=45) | self._order(
            spelled, shipped_days_ago=45
        )
        body = (
            "<p>Sehr geehrter Herr Mueller, JUERGEN MUELLER, "
            "Michael Köhler; Kollege Michal Kohler</p>"
        )
        messages = [order.message_post(body=Markup(body)) for order in orders]
        self._run_cron()
        for message in messages:
            text = str(message.body)
            self.assertNotIn("ueller", text.lower())
            self.assertNotIn("Köhler", text)
            self.assertIn("Sehr geehrter Herr Anonymized", text)
            self.assertIn("Michal Kohler", text)

    def test_internal_chat_naming_the_buyer(self):
        """A colleague's chat message that names the buyer without mentioning
        the order loses their values; chat about someone else stays."""
        channel = self.env["discuss.channel"].create({"name": "Versand"})
        chat = channel.message_post(
            body=Markup(
                f"<p>Kann jemand <b>{NAME}</b> zurückrufen? Es geht um "
                "Großkücherstr. 5</p>"
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        other = channel.message_post(
            body=Markup("<p>İlkay Demir hat bezahlt</p>"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._run_cron()
        text = str(chat.body)
        self.assertNotIn("lmaz", text)
        self.assertNotIn("Großkücher", text)
        self.assertIn("Kann jemand <b>Anonymized</b> zurückrufen?", text)
        self.assertIn("İlkay Demir hat bezahlt", str(other.body))
