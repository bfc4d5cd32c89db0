# The texts of the default notifications (subject and body) (az); every id starts with "notification-".

notification-near-limit-subject = { $product } yaddaşınız { $percent }% doludur
notification-near-limit-body =
    Hörmətli { $client_name },

    { $username } ({ $product }) yaddaş hesabınız indi { $limit } { $unit } həcmin { $used } { $unit } qədərini istifadə edir ({ $percent }%). { $free } { $unit } boş yer qalıb.

    Hesab limitini aşdıqda, kifayət qədər fayl silinənə qədər məhdudlaşdırılacaq. Fasiləsiz işləməyə davam etmək üçün yer boşaldın və ya daha böyük paketə keçin.

notification-suspended-subject = { $product } yaddaşınız limitini aşıb
notification-suspended-body =
    Hörmətli { $client_name },

    { $username } ({ $product }) yaddaş hesabınızda { $used } { $unit } məlumat var, bu isə { $limit } { $unit } limitindən çoxdur ({ $percent }% istifadə olunub). Hesab məhdudlaşdırılıb.

    Hesab yenidən limitindən aşağı düşən kimi məhdudiyyət avtomatik götürülür: artıq lazım olmayan faylları silin və ya daha böyük paketə keçin.
