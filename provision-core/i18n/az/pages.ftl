# The texts of the client-area and admin-area pages (az, Azərbaycan dili); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopyala
page-copied = Kopyalandı
page-yes = Bəli
page-no = Xeyr
page-back = Geri
page-not-measured = Hələ ölçülməyib
page-unlimited = Limitsiz
page-limit = Limit
page-used = İstifadə olunub
page-free = Boş
page-used-percent = İstifadə %
page-free-percent = Boş %
page-username = İstifadəçi adı
page-status = Vəziyyət
page-client-title = Yaddaşınız
page-access = Giriş
page-web-address = Veb interfeys
page-password = Parol
page-password-show = Parolu göstər
page-password-elsewhere = Yalnız müştəri panelinizdə göstərilir.
page-instructions = Təlimat
page-space = Disk sahəsi
page-pie-title = İstifadə olunan və boş sahə
page-pie-desc = { $limit } sahədən { $used } istifadə olunub ({ $percent }); { $free } boşdur.
page-buckets = Bucket-lər
page-bucket = Bucket
page-bucket-size = Ölçü
page-bucket-objects = Obyektlər
page-no-buckets = Hələ bucket yoxdur.
page-buckets-note = Ölçülər serverin son ölçməsinə görədir.
page-statistics = İstifadə olunan sahənin statistikası
page-time-zone = Günlər və aylar { $zone } saat qurşağındadır.
page-daily-title = { $days ->
    [one] Gündəlik istifadə, son gün
   *[other] Gündəlik istifadə, son { $days } gün
}
page-daily-desc = { $count ->
    [one] Hər günün ən yüksək istifadəsi, { $unit } ilə; bir gün üçün məlumat var.
   *[other] Hər günün ən yüksək istifadəsi, { $unit } ilə; { $count } gün üçün məlumat var.
}
page-monthly-title = Aylıq orta istifadə
page-monthly-desc = { $count ->
    [one] Hər ayın orta istifadəsi, { $unit } ilə; bir ay.
   *[other] Hər ayın orta istifadəsi, { $unit } ilə; { $count } ay.
}
page-no-data = Hələ heç bir istifadə qeydə alınmayıb.
page-show-numbers = Rəqəmləri göstər
page-day = Gün
page-month = Ay
page-average = Orta
page-admin-title = Yaddaş hesabı
page-connection = API bağlantısı
page-connection-ok = { $server } serverinə qoşulub.
page-connection-failed = Qoşulmayıb: { $error }
page-account = Hesab
page-enabled = Aktivdir
page-product = Məhsul
page-group = Qrup
page-email = E-poçt
page-limit-policy = Limit siyasəti
page-limit-policy-usage = İstifadəyə görə
page-limit-policy-standard = Standart (administrator təyin edib)
page-limit-policy-limited = Məhdud (administrator təyin edib)
page-disk-usage = Disk istifadəsi
page-actions = Əməliyyatlar
page-no-actions = Bu vəziyyətdə heç bir əməliyyat mümkün deyil.
page-status-creating = Yaradılır
page-status-active = Aktiv
page-status-suspended = Dayandırılıb
page-status-terminating = Ləğv edilir
page-status-terminated = Ləğv edilib
page-status-failed = Yaratma alınmadı
page-action-suspend = Dayandır
page-action-unsuspend = Yenidən aktivləşdir
page-action-terminate = Ləğv et
page-action-change-password = Parolu dəyiş
page-action-change-plan = Paketi dəyiş
page-action-update-policy = Siyasəti yenilə
page-action-set-standard-policy = Standart siyasəti tətbiq et
page-action-set-limited-policy = Məhdud siyasəti tətbiq et
page-new-product = Yeni paket
page-confirm-terminate = Bəli, hesabı və məlumatlarını sil
page-action-done = Hazırdır: { $action }.
page-action-failed = Əməliyyat alınmadı: { $error }
page-new-password = Yeni parol (bir dəfə göstərilir):
page-refused-title = Bu səhifə göstərilə bilməz
page-error-title = Səhifə indi göstərilə bilməz
page-refused-invalid = Keçid etibarsızdır. Səhifəni müştəri panelindən yenidən açın.
page-refused-expired = Keçidin müddəti bitib. Səhifəni müştəri panelindən yenidən açın.
page-refused-wrong-service = Keçid başqa xidmət üçün yaradılıb.
page-refused-wrong-role = Keçid başqa səhifə üçün yaradılıb.
page-refused-not-found = Belə səhifə yoxdur.
page-refused-not-configured = Səhifələr bu serverdə qurulmayıb.
page-refused-cross-site = Sorğu başqa saytdan gəldi və rədd edildi.
page-refused-action = Bu əməliyyat hazırda xidmət üçün mümkün deyil.
