"""What customers of the Arduino help centre might type, and the articles that answer them.

Written from the articles' titles and text before any search engine was run on them, and
not edited after seeing results: they judge the ranking, they must not be fitted to it.
Where two articles answer a query equally well, both count."""

from __future__ import annotations

QUERIES: list[tuple[str, set[str]]] = [
    ("forgot my password", {"reset-the-password-for-your-arduino-account"}),
    ("change my email", {"change-the-email-address-for-your-arduino-account"}),
    ("delete my account", {"how-to-delete-your-arduino-account"}),
    (
        "two factor authentication",
        {
            "enable-2-step-verification-for-your-arduino-account",
            "disable-2-step-verification-for-your-arduino-account",
            "recover-an-account-protected-by-2-step-verification",
        },
    ),
    (
        "lost my phone with the authenticator app",
        {
            "recover-an-account-protected-by-2-step-verification",
            "disable-2-step-verification-for-your-arduino-account",
        },
    ),
    ("turn off 2-step verification", {"disable-2-step-verification-for-your-arduino-account"}),
    (
        "not getting any emails",
        {"i-am-not-receiving-any-arduino-emails", "verify-your-email-address"},
    ),
    (
        "confirmation email never arrived",
        {"verify-your-email-address", "i-am-not-receiving-any-arduino-emails"},
    ),
    (
        "account for my child",
        {"create-an-arduino-account-for-a-minor", "about-arduino-accounts-for-minors"},
    ),
    ("sign up", {"create-an-arduino-account"}),
    ("unsubscribe newsletter", {"subscribe-or-unsubscribe-from-the-arduino-newsletter"}),
    ("change forum username", {"change-your-username-in-the-arduino-forum"}),
    ("privacy settings", {"review-and-change-privacy-settings-for-your-arduino-account"}),
    ("discord", {"join-the-official-arduino-discord-server"}),
    ("where is my order", {"track-your-order"}),
    ("package says delivered but it is not here", {"if-you-havent-received-your-delivery"}),
    ("return a product", {"return-an-item"}),
    ("refund", {"return-an-item"}),
    ("shipping options", {"available-shipping-methods"}),
    ("how long does delivery take", {"about-the-delivery-process", "available-shipping-methods"}),
    ("do prices include VAT", {"do-product-prices-include-applicable-taxes"}),
    ("tax exempt purchase for a school", {"how-to-make-a-tax-exempt-order"}),
    ("invoice for my purchase", {"find-your-receipt-or-invoice"}),
    ("can I pay with paypal", {"accepted-payment-methods"}),
    ("remove saved credit card", {"remove-a-payment-method-from-your-arduino-account"}),
    ("is it safe to pay by card", {"is-it-safe-to-use-my-credit-card-on-the-website"}),
    (
        "my country is not in the checkout list",
        {"my-country-doesnt-show-up-in-the-list-during-checkout"},
    ),
    (
        "out of stock notify me",
        {"get-email-notifications-when-sold-out-items-are-available-again"},
    ),
    ("prices in dollars or euros", {"what-is-the-currency-in-the-arduino-online-store"}),
    ("preorder", {"what-is-a-pre-order"}),
    ("distributor quote", {"request-and-manage-quotes-as-an-arduino-distributor"}),
    ("when will my subscription be charged", {"when-am-i-billed-for-my-subscription"}),
    ("cancel cloud subscription", {"review-change-or-cancel-an-arduino-cloud-plan"}),
    (
        "downgrade to the free plan",
        {
            "what-happens-if-i-downgrade-my-plan",
            "billing-and-feature-changes-when-switching-to-a-different-cloud-plan",
            "if-you-exceed-plan-limits-after-downgrading",
        },
    ),
    ("install cloud agent", {"install-the-arduino-cloud-agent"}),
    ("agent not running", {"check-if-the-arduino-cloud-agent-is-installed-and-running"}),
    (
        "board won't connect to wifi",
        {
            "if-your-arduino-device-can-t-connect-to-a-wi-fi-network",
            "supported-wi-fi-bands-for-arduino-devices",
        },
    ),
    ("5ghz network", {"supported-wi-fi-bands-for-arduino-devices"}),
    ("change wifi password on my device", {"configure-the-network-credentials-for-a-device"}),
    ("invite students to a space", {"add-members-to-a-space"}),
    ("remove a member from a space", {"remove-members-from-a-space"}),
    (
        "can't buy a cloud plan in my country",
        {
            "if-you-cannot-purchase-an-arduino-cloud-plan-or-certification-exam",
            "availability-of-arduino-cloud-in-different-countries",
        },
    ),
    ("download ide", {"download-and-install-arduino-ide"}),
    ("install a library", {"add-libraries-to-arduino-ide"}),
    ("uninstall arduino ide", {"uninstall-arduino-ide"}),
    (
        "ftdi driver",
        {"install-or-update-ftdi-drivers", "ftdi-driver-installation-fails-in-ide-1-8-windows"},
    ),
    (
        "ide won't start on raspberry pi",
        {"the-arduino-ide-does-not-launch-on-raspian-or-other-linux-arm"},
    ),
    ("update board package", {"update-board-packages-in-arduino-ide"}),
]

# The same kind of queries, misspelt the way people type on a phone.
TYPOS: list[tuple[str, set[str]]] = [
    ("pasword reset", {"reset-the-password-for-your-arduino-account"}),
    ("delet acount", {"how-to-delete-your-arduino-account"}),
    ("trak my ordr", {"track-your-order"}),
    ("reciept", {"find-your-receipt-or-invoice"}),
    ("retrun item", {"return-an-item"}),
    ("newsleter unsubscribe", {"subscribe-or-unsubscribe-from-the-arduino-newsletter"}),
    ("shiping methods", {"available-shipping-methods"}),
    ("verfy email adress", {"verify-your-email-address"}),
    ("instal cloud agnet", {"install-the-arduino-cloud-agent"}),
    ("cancle cloud plan", {"review-change-or-cancel-an-arduino-cloud-plan"}),
    ("paymnet methods", {"accepted-payment-methods"}),
    ("dowload arduino ide", {"download-and-install-arduino-ide"}),
]
