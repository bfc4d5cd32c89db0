# The texts of the client-area and admin-area pages (nl, Nederlands); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopiëren
page-copied = Gekopieerd
page-yes = Ja
page-no = Nee
page-back = Terug
page-not-measured = Nog niet gemeten
page-unlimited = Onbeperkt
page-limit = Limiet
page-used = Gebruikt
page-free = Vrij
page-used-percent = Gebruikt %
page-free-percent = Vrij %
page-username = Gebruikersnaam
page-status = Status
page-client-title = Uw opslag
page-access = Toegang
page-web-address = Webinterface
page-password = Wachtwoord
page-password-show = Wachtwoord tonen
page-password-elsewhere = Alleen getoond in uw klantomgeving.
page-instructions = Instructies
page-space = Schijfruimte
page-pie-title = Gebruikte en vrije ruimte
page-pie-desc = { $used } van { $limit } gebruikt ({ $percent }); { $free } vrij.
page-buckets = Buckets
page-bucket = Bucket
page-bucket-size = Grootte
page-bucket-objects = Objecten
page-no-buckets = Er zijn nog geen buckets.
page-buckets-note = Groottes volgens de laatste meting van de server.
page-statistics = Statistieken van de gebruikte ruimte
page-time-zone = Dagen en maanden in de tijdzone { $zone }.
page-daily-title = { $days ->
    [one] Dagelijks gebruik, laatste dag
   *[other] Dagelijks gebruik, laatste { $days } dagen
}
page-daily-desc = { $count ->
    [one] Het hoogste gebruik van elke dag, in { $unit }; één dag heeft gegevens.
   *[other] Het hoogste gebruik van elke dag, in { $unit }; { $count } dagen hebben gegevens.
}
page-monthly-title = Gemiddeld gebruik per maand
page-monthly-desc = { $count ->
    [one] Het gemiddelde gebruik van elke maand, in { $unit }; één maand.
   *[other] Het gemiddelde gebruik van elke maand, in { $unit }; { $count } maanden.
}
page-no-data = Er is nog geen gebruik geregistreerd.
page-show-numbers = Cijfers tonen
page-day = Dag
page-month = Maand
page-average = Gemiddelde
page-admin-title = Opslagaccount
page-connection = API-verbinding
page-connection-ok = Verbonden met { $server }.
page-connection-failed = Niet verbonden: { $error }
page-account = Account
page-enabled = Ingeschakeld
page-product = Product
page-group = Groep
page-email = E-mail
page-limit-policy = Limietbeleid
page-limit-policy-usage = Volgens gebruik
page-limit-policy-standard = Standaard (ingesteld door een beheerder)
page-limit-policy-limited = Beperkt (ingesteld door een beheerder)
page-disk-usage = Schijfgebruik
page-actions = Acties
page-no-actions = In deze status is geen actie mogelijk.
page-status-creating = Wordt aangemaakt
page-status-active = Actief
page-status-suspended = Opgeschort
page-status-terminating = Wordt opgezegd
page-status-terminated = Opgezegd
page-status-failed = Aanmaken mislukt
page-action-suspend = Opschorten
page-action-unsuspend = Heractiveren
page-action-terminate = Opzeggen
page-action-change-password = Wachtwoord wijzigen
page-action-change-plan = Pakket wijzigen
page-action-update-policy = Beleid bijwerken
page-action-set-standard-policy = Standaardbeleid instellen
page-action-set-limited-policy = Beperkt beleid instellen
page-new-product = Nieuw pakket
page-confirm-terminate = Ja, het account en de gegevens verwijderen
page-action-done = Klaar: { $action }.
page-action-failed = De actie is mislukt: { $error }
page-new-password = Het nieuwe wachtwoord (eenmalig getoond):
page-refused-title = Deze pagina kan niet worden getoond
page-error-title = De pagina kan nu niet worden getoond
page-refused-invalid = De link is ongeldig. Open de pagina opnieuw vanuit de klantomgeving.
page-refused-expired = De link is verlopen. Open de pagina opnieuw vanuit de klantomgeving.
page-refused-wrong-service = De link is gemaakt voor een andere dienst.
page-refused-wrong-role = De link is gemaakt voor een andere pagina.
page-refused-not-found = Deze pagina bestaat niet.
page-refused-not-configured = De pagina’s zijn op deze server niet ingesteld.
page-refused-cross-site = Het verzoek kwam van een andere site en is geweigerd.
page-refused-action = Deze actie is nu niet mogelijk voor de dienst.
