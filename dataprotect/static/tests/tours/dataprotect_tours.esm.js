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

const teams = ".o_field_widget[name=dataprotect_team_ids]";
const giftField = ".o_field_widget[name=dataprotect_gift_message_field_id]";

registry.category("web_tour.tours").add("dataprotect_settings_tour", {
    url: "/odoo/settings",
    steps: () => [
        {
            content: "open the Sales settings",
            trigger: ".settings_tab .tab[data-key=sale_management]",
            run: "click",
        },
        {
            content: "the Data Protection block, in German",
            trigger:
                ".o_setting_container:contains(Datenschutz) #dataprotect_marketplace:contains(Amazon-Aufträge):contains(Verkaufsteams):contains(Platzhalter):contains(Feld für Geschenknachricht)",
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
        {
            content: "save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "saved: the page shows the stored settings",
            trigger: `.o-settings-form-view:not(:has(.o_dirty_warning)) ${teams} .o_tag:contains(Amazon DE)`,
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
            run() {
                // The whole Data Protection block, for the screenshot
                document
                    .querySelector("#dataprotect_marketplace")
                    .scrollIntoView({block: "center"});
            },
        },
        ...screenshot("settings"),
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
        {
            content: "open the Sales settings",
            trigger: ".settings_tab .tab[data-key=sale_management]",
            run: "click",
        },
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
                "and shows what will change: both Amazon orders, whatever their age",
            trigger:
                ".modal:contains(Was anonymisiert wird) .o_field_widget[name=order_count]:contains(2)",
        },
        {
            content: "type the marketplace's name to confirm",
            trigger: ".modal .o_field_widget[name=confirm_name] input",
            run: "edit Amazon",
        },
        {
            content: "up to the confirmation: the Anonymize button",
            trigger:
                ".modal footer button[name=action_confirm]:contains(Anonymisieren):enabled",
        },
    ],
});
