/* License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
/* global console, document */
import {registry} from "@web/core/registry";

/*
 * The tours of tests/test_tours.py. They run as a manager whose language is
 * German, so the texts they wait for are the German ones: a step that waits for
 * a German text fails when the text is shown untranslated.
 */

/**
 * Ask the test for a screenshot of the screen as it is now and wait until it
 * has been taken (the test marks the body with a class then).
 */
function screenshot(name) {
    return [
        {
            content: `screenshot ${name}`,
            trigger: "body",
            run() {
                console.log(`dataprotect screenshot: ${name}`);
            },
        },
        {
            content: `screenshot ${name} taken`,
            trigger: `body.o_dataprotect_screenshot_${name}`,
        },
    ];
}

/**
 * A screenshot with the element ``selector`` in the middle of the screen.
 */
function screenshotOf(selector, name) {
    return [
        {
            content: `show ${selector}`,
            trigger: selector,
            run() {
                document.querySelector(selector).scrollIntoView({block: "center"});
            },
        },
        ...screenshot(name),
    ];
}

const teams = ".o_field_widget[name=dataprotect_team_ids]";

/**
 * Save the settings. Odoo then reloads the page: a step after it waits for
 * the reloaded page with ``reloaded`` in its trigger, or it may match the page
 * before the reload, which then wipes what the step left (a screenshot's
 * mark, a click).
 */
const saveSettings = {
    content: "save (the page reloads)",
    trigger: ".o_form_button_save",
    async run(helpers) {
        document.body.classList.add("o_dataprotect_before_save");
        await helpers.click();
    },
};
const reloaded = "body:not(.o_dataprotect_before_save)";

const settingsTab = {
    content: "open the Sales settings",
    trigger: ".settings_tab .tab[data-key=sale_management]",
    run: "click",
};
const giftField = ".o_field_widget[name=dataprotect_gift_message_field_id]";

registry.category("web_tour.tours").add("dataprotect_settings_tour", {
    url: "/odoo/settings",
    steps: () => [
        settingsTab,
        {
            content: "the Data Protection block, in German",
            trigger:
                ".o_setting_container:contains(Datenschutz) #dataprotect_marketplace:contains(Amazon-Aufträge):contains(Verkaufsteams):contains(Platzhalter):contains(Geschenknachricht-Feld)",
        },
        {
            content: "no sales team yet: the settings say what to do first",
            trigger:
                "#dataprotect_marketplace .alert-warning:contains(Wählen Sie zuerst die Verkaufsteams)",
        },
        {
            content: "choose the Amazon sales team",
            trigger: `${teams} input`,
            run: "edit Amazon",
        },
        {
            trigger: `${teams} .o-autocomplete--dropdown-menu a:contains(Amazon DE)`,
            run: "click",
        },
        {
            trigger: `${teams} .o_tag:contains(Amazon DE)`,
        },
        {
            content: "set the placeholder",
            trigger: ".o_field_widget[name=dataprotect_placeholder] input",
            run: "edit Anonymisiert",
        },
        {
            content: "choose the gift-message field",
            trigger: `${giftField} input`,
            run: "edit Geschenk",
        },
        {
            trigger: `${giftField} .o-autocomplete--dropdown-menu a:contains(Geschenknachricht)`,
            run: "click",
        },
        {
            trigger: `${giftField} input:value(Geschenknachricht)`,
        },
        saveSettings,
        {
            content: "saved: the page shows the stored settings",
            trigger: `${reloaded} .o-settings-form-view:not(:has(.o_dirty_warning)) ${teams} .o_tag:contains(Amazon DE)`,
        },
        {
            content: "the scheduled action is inactive while an order is due",
            trigger:
                "#dataprotect_cron:contains(Geplante Anonymisierung) .badge:contains(Inaktiv)",
        },
        {
            trigger: "#dataprotect_cron .alert-warning:contains(Datenschutzrichtlinie)",
        },
        {
            content: "activate the scheduled action",
            trigger:
                "#dataprotect_cron button[name=action_dataprotect_cron_activate].btn-primary",
            run: "click",
        },
        {
            content: "it is active now",
            trigger: "#dataprotect_cron .badge.text-bg-success:contains(Aktiv)",
        },
        {
            trigger: "#dataprotect_cron:not(:has(.alert-warning))",
        },
        // The whole Data Protection block
        ...screenshotOf("#dataprotect_marketplace", "settings"),
        {
            content: "open the preview",
            trigger: "#dataprotect_cron button[name=action_dataprotect_open_preview]",
            run: "click",
        },
        {
            content: "the preview: one order due, nothing changed",
            trigger:
                ".modal:has(.modal-title:contains(Vorschau der geplanten Anonymisierung)):contains(Es wurde nichts geändert) .o_field_widget[name=order_count]:contains(1)",
        },
    ],
});

registry.category("web_tour.tours").add("dataprotect_purge_tour", {
    url: "/odoo/settings",
    steps: () => [
        settingsTab,
        {
            content: "Datenschutz → Alle Marktplätze",
            trigger:
                "#dataprotect_marketplace button[name=action_dataprotect_open_marketplaces]:contains(Alle Marktplätze)",
            run: "click",
        },
        {
            content: "open the Amazon marketplace",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Amazon)",
            run: "click",
        },
        {
            content: "anonymize all its personal data",
            trigger:
                ".o_form_view button[name=action_open_purge_wizard]:contains(Alle anonymisieren)",
            run: "click",
        },
        {
            content: "the wizard warns, in German",
            trigger:
                ".modal:has(.modal-title:contains(Alle personenbezogenen Daten eines Marktplatzes anonymisieren)) .alert-danger:contains(Das kann nicht rückgängig gemacht werden)",
        },
        {
            content:
                "and shows what will change: the three Amazon orders, whatever their age",
            trigger:
                ".modal:contains(Was anonymisiert wird) .o_field_widget[name=order_count]:contains(3)",
        },
        {
            content:
                "the order not yet shipped is counted apart, with what anonymizing it means",
            trigger:
                ".modal .alert-warning:contains(Noch offen):contains(dieser Aufträge):contains(nicht mehr bestätigt) .o_field_widget[name=open_order_count]:contains(1)",
        },
        {
            content: "the name to type is shown; the button waits for it",
            trigger:
                ".modal:contains(Geben Sie zur Bestätigung den Namen des Marktplatzes ein) .o_field_widget[name=marketplace_name]:contains(Amazon)",
        },
        {
            trigger:
                ".modal footer button.o_dataprotect_unconfirmed:contains(Anonymisieren):disabled",
        },
        {
            trigger: ".modal:not(:has(footer button[name=action_confirm]))",
        },
        ...screenshot("wizard"),
        {
            content: "type the marketplace's name to confirm",
            trigger: ".modal .o_field_widget[name=confirm_name] input",
            run: "edit Amazon && press Tab",
        },
        {
            content: "up to the confirmation: the Anonymize button, usable now",
            trigger:
                ".modal footer button[name=action_confirm]:contains(Anonymisieren):enabled",
        },
        {
            trigger: ".modal:not(:has(footer button.o_dataprotect_unconfirmed))",
        },
    ],
});

registry.category("web_tour.tours").add("dataprotect_anonymized_tour", {
    steps: () => [
        {
            content: "the anonymized order warns what that means, in German",
            trigger:
                ".o_form_view .alert-warning:contains(Die personenbezogenen Daten dieses Datensatzes wurden anonymisiert am):contains(nicht mehr versendet oder berechnet werden)",
        },
        {
            content: "its marketplace on the main form",
            trigger:
                ".o_form_view .o_group .o_field_widget[name=dataprotect_marketplace_id]:contains(Amazon)",
        },
        {
            content: "no invoice to create any more",
            trigger:
                ".o_form_view .o_statusbar_buttons:contains(Stornieren):not(:contains(Rechnung erstellen))",
        },
        ...screenshot("order"),
        {
            content: "open its delivery",
            trigger: ".o_form_view button[name=action_view_delivery]",
            run: "click",
        },
        {
            content: "the delivery warns too, and offers no validation",
            trigger:
                ".o_form_view .alert-warning:contains(Die Lieferadresse ist gelöscht):contains(Stornieren Sie sie)",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_buttons:not(:has(button[name=button_validate]))",
        },
        {
            content: "the delivery is still to do",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Bereit)",
        },
        ...screenshot("delivery"),
    ],
});

registry.category("web_tour.tours").add("dataprotect_log_tour", {
    url: "/odoo/settings",
    steps: () => [
        settingsTab,
        {
            content: "open the anonymization log",
            trigger:
                "#dataprotect_cron button[name=action_dataprotect_open_runs]:contains(Anonymisierungsprotokoll)",
            run: "click",
        },
        {
            content: "it opens on the runs: the scheduled run, not the preview",
            trigger: ".o_searchview .o_searchview_facet:contains(Läufe)",
        },
        {
            trigger:
                ".o_list_view .o_data_row:has(td[name=trigger]:contains(Geplant)) td[name=order_count]:contains(1)",
        },
        {
            trigger: ".o_list_view:not(:has(td[name=trigger]:contains(Vorschau)))",
        },
        {
            content: "the count headers are whole, in German",
            trigger:
                ".o_list_view th[data-name=order_count]:contains(Aufträge) ~ th[data-name=partner_count]:contains(Kontakte)",
        },
        ...screenshot("runs"),
        {
            content: "show the previews as well",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger:
                ".o_filter_menu .o-dropdown-item:contains(Vorschauen und Prüfungen)",
            run: "click",
        },
        {
            content: "the preview row has no anonymized counts",
            trigger:
                ".o_list_view .o_data_row.text-muted:has(td[name=trigger]:contains(Vorschau)) td[name=order_count]:empty",
            run: "click",
        },
        {
            content: "a preview's form says nothing was changed",
            trigger:
                ".o_form_view .alert-info:contains(Eine Vorschau: Es wurde nichts geändert)",
        },
        {
            trigger: ".o_form_view h1:contains(Vorschau · Amazon)",
        },
        {
            trigger: ".o_form_view .o_list_renderer th:contains(Würde anonymisiert)",
        },
        ...screenshot("preview"),
    ],
});

registry.category("web_tour.tours").add("dataprotect_failed_run_tour", {
    url: "/odoo/settings",
    steps: () => [
        settingsTab,
        {
            content: "the settings say what keeps the job from running, in German",
            trigger:
                "#dataprotect_cron .alert-danger:contains(Die geplante Anonymisierung kann erst laufen):contains(Die Aufbewahrungsfrist des Marktplatzes Amazon beträgt -5 Tage)",
        },
        ...screenshotOf("#dataprotect_cron", "failed"),
        {
            content: "fix the retention period",
            trigger: ".o_field_widget[name=dataprotect_retention_days] input",
            run: "edit 30",
        },
        saveSettings,
        {
            content: "fixed: the failure is explained, and a retry offered",
            trigger: `${reloaded} #dataprotect_cron:not(:has(.alert-danger)) .alert-warning:contains(Der letzte geplante Lauf ist fehlgeschlagen):contains(Die Einstellungen sind jetzt in Ordnung) button[name=action_dataprotect_cron_retry]:contains(Jetzt ausführen)`,
        },
        ...screenshotOf("#dataprotect_cron", "fixed"),
        {
            content: "retry",
            trigger: "#dataprotect_cron button[name=action_dataprotect_cron_retry]",
            run: "click",
        },
        {
            trigger:
                ".o_notification:contains(Die geplante Anonymisierung läuft gleich)",
        },
    ],
});

registry.category("web_tour.tours").add("dataprotect_recognition_tour", {
    url: "/odoo/settings",
    steps: () => [
        settingsTab,
        {
            content:
                "the settings announce the Amazon orders the rules recognised, in German",
            trigger:
                "#dataprotect_marketplace .alert-warning:contains(Amazon-Aufträge gefunden):contains(nicht geschützt) .o_field_widget[name=dataprotect_detected_count]:contains(3)",
        },
        {
            content: "the connector's sales team is suggested",
            trigger:
                "#dataprotect_marketplace .o_field_widget[name=dataprotect_detected_team_ids] .o_tag:contains(Amazon DE)",
        },
        {
            trigger: "#dataprotect_cron .badge:contains(Inaktiv)",
        },
        ...screenshotOf("#dataprotect_marketplace", "detected"),
        {
            content: "protect them in one step",
            trigger:
                "#dataprotect_marketplace button[name=action_dataprotect_protect_detected]:contains(Schützen)",
            run: "click",
        },
        {
            content: "confirm: the scheduled anonymization runs at once",
            trigger:
                ".modal:contains(geplante Anonymisierung) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the sales team is linked, the scheduled action active",
            trigger: `#dataprotect_marketplace:not(:has(.alert-warning)) ${teams} .o_tag:contains(Amazon DE)`,
        },
        {
            trigger: "#dataprotect_cron .badge.text-bg-success:contains(Aktiv)",
        },
        ...screenshotOf("#dataprotect_marketplace", "protected"),
    ],
});

const deletionModal = ".modal:has(.o_field_widget[name=numbers])";

registry.category("web_tour.tours").add("dataprotect_deletion_tour", {
    url: "/odoo/settings",
    steps: () => [
        settingsTab,
        {
            content: "open the deletion request from the Data Protection Policy block",
            trigger: "#dataprotect_policy button:contains(Löschanfrage)",
            run: "click",
        },
        {
            content: "the wizard explains itself in German",
            trigger: `${deletionModal} .alert-info:contains(Fügen Sie die Bestellnummern ein)`,
        },
        {
            content:
                "paste the marketplace's numbers: one twice, a blank line, one unknown",
            trigger: `${deletionModal} .o_field_widget[name=numbers] textarea`,
            run(actions) {
                actions.edit(
                    "302-1000000-0000101\n302-1000000-0000101\n\n302-9999999-9999999"
                );
            },
        },
        {
            content: "check them",
            trigger: `${deletionModal} button[name=action_check]:contains(Prüfen)`,
            run: "click",
        },
        {
            content: "one number to erase, the duplicate skipped, one not found",
            trigger: `${deletionModal} .o_field_widget[name=erase_count]:contains(1)`,
        },
        {
            trigger: `${deletionModal} .o_field_widget[name=duplicate_count]:contains(1)`,
        },
        {
            trigger: `${deletionModal} .o_field_widget[name=not_found_numbers]:contains(302-9999999-9999999)`,
        },
        {
            content: "what erasing the buyer touches, and that it cannot be undone",
            trigger: `${deletionModal} .alert-danger:contains(Das kann nicht rückgängig gemacht werden)`,
        },
        {
            trigger: `${deletionModal} .o_field_widget[name=order_count]:contains(1)`,
        },
        ...screenshotOf(`${deletionModal} .modal-content`, "checked"),
        {
            content: "erase the buyer",
            trigger: `${deletionModal} button[name=action_confirm]:contains(Käufer löschen)`,
            run: "click",
        },
        {
            content: "confirm",
            trigger:
                ".modal:contains(Die Käufer der gefundenen Aufträge löschen) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content:
                "the request's log entry: it works in the background, every number listed",
            trigger:
                ".o_form_view .o_field_widget[name=number_summary]:contains(Zu löschen: 1):contains(Nicht gefunden: 1)",
        },
        {
            trigger: ".o_form_view .alert-info:contains(im Hintergrund)",
        },
    ],
});
