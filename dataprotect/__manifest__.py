# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Data Protection for Marketplace Buyers",
    "summary": "Tag marketplace orders and anonymize buyers' personal data on schedule",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/dataprotect/dataprotect",
    "author": "dataprotect",
    "maintainers": ["dataprotect"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["sale_stock", "account", "mail"],
    "data": [],
    "installable": True,
    "application": False,
}
