# The texts of the default notifications (subject and body) (hr); every id starts with "notification-".

notification-near-limit-subject = Vaša pohrana { $product } popunjena je { $percent } %
notification-near-limit-body =
    Poštovani { $client_name },

    Vaš račun za pohranu { $username } ({ $product }) sada koristi { $used } { $unit } od svojih { $limit } { $unit } ({ $percent } %). Slobodno je još { $free } { $unit }.

    Kada račun prijeđe svoje ograničenje, bit će ograničen dok se ne izbriše dovoljno datoteka. Kako biste nastavili raditi bez prekida, oslobodite prostor ili prijeđite na veći paket.

notification-suspended-subject = Vaša pohrana { $product } prešla je svoje ograničenje
notification-suspended-body =
    Poštovani { $client_name },

    Vaš račun za pohranu { $username } ({ $product }) sadrži { $used } { $unit }, što je više od ograničenja od { $limit } { $unit } (iskorišteno { $percent } %). Račun je ograničen.

    Ograničenje se automatski ukida čim račun ponovno bude ispod svojeg ograničenja: izbrišite datoteke koje vam više ne trebaju ili prijeđite na veći paket.
