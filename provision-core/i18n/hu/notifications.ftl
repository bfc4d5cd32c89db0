# The texts of the default notifications (subject and body) (hu); every id starts with "notification-".

notification-near-limit-subject = A(z) { $product } tárhelye { $percent }%-ban megtelt
notification-near-limit-body =
    Kedves { $client_name }!

    A(z) { $username } ({ $product }) tárhelyfiókja most { $used } { $unit } tárhelyet használ a(z) { $limit } { $unit } keretből ({ $percent }%). Még { $free } { $unit } szabad.

    Amint a fiók túllépi a keretét, korlátozásra kerül, amíg elég fájlt nem töröl. A megszakítás nélküli munkához szabadítson fel helyet, vagy váltson nagyobb csomagra.

notification-suspended-subject = A(z) { $product } tárhelye túllépte a keretét
notification-suspended-body =
    Kedves { $client_name }!

    A(z) { $username } ({ $product }) tárhelyfiók { $used } { $unit } adatot tárol, ami több a(z) { $limit } { $unit } keretnél ({ $percent }% felhasználva). A fiókot korlátoztuk.

    A korlátozás automatikusan megszűnik, amint a fiók ismét a kerete alá kerül: törölje a már nem szükséges fájlokat, vagy váltson nagyobb csomagra.
