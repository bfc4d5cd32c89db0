# The texts of the default notifications (subject and body) (tr); every id starts with "notification-".

notification-near-limit-subject = { $product } depolama alanınız %{ $percent } dolu
notification-near-limit-body =
    Sayın { $client_name },

    { $username } ({ $product }) depolama hesabınız şu anda { $limit } { $unit } alanın { $used } { $unit } kadarını kullanıyor (%{ $percent }). { $free } { $unit } boş alan kaldı.

    Hesap sınırını aştığında, yeterli dosya silinene kadar kısıtlanacaktır. Kesintisiz çalışmaya devam etmek için yer açın veya daha büyük bir pakete geçin.

notification-suspended-subject = { $product } depolama alanınız sınırını aştı
notification-suspended-body =
    Sayın { $client_name },

    { $username } ({ $product }) depolama hesabınız { $used } { $unit } veri içeriyor; bu, { $limit } { $unit } olan sınırından fazla (%{ $percent } kullanıldı). Hesap kısıtlandı.

    Hesap yeniden sınırının altına düştüğünde kısıtlama otomatik olarak kaldırılır: artık ihtiyacınız olmayan dosyaları silin veya daha büyük bir pakete geçin.
