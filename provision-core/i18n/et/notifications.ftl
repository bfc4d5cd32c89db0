# The texts of the default notifications (subject and body) (et); every id starts with "notification-".

notification-near-limit-subject = Teie salvestusruum { $product } on { $percent }% täis
notification-near-limit-body =
    Lugupeetud { $client_name }!

    Teie salvestuskonto { $username } ({ $product }) kasutab nüüd { $used } { $unit } oma { $limit } { $unit } mahust ({ $percent }%). Vaba on veel { $free } { $unit }.

    Kui konto ületab oma piirmäära, seda piiratakse, kuni piisavalt faile on kustutatud. Katkestusteta jätkamiseks vabastage ruumi või valige suurem pakett.

notification-suspended-subject = Teie salvestusruum { $product } on piirmäära ületanud
notification-suspended-body =
    Lugupeetud { $client_name }!

    Teie salvestuskontol { $username } ({ $product }) on { $used } { $unit }, mis on rohkem kui selle piirmäär { $limit } { $unit } (kasutatud { $percent }%). Kontot on piiratud.

    Piirang tühistatakse automaatselt, kui konto on taas piirmäärast allpool: kustutage failid, mida te enam ei vaja, või valige suurem pakett.
