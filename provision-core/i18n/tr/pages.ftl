# The texts of the client-area and admin-area pages (tr, Türkçe); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = Kopyala
page-copied = Kopyalandı
page-yes = Evet
page-no = Hayır
page-back = Geri
page-not-measured = Henüz ölçülmedi
page-unlimited = Sınırsız
page-limit = Sınır
page-used = Kullanılan
page-free = Boş
page-used-percent = Kullanılan %
page-free-percent = Boş %
page-username = Kullanıcı adı
page-status = Durum
page-client-title = Depolama alanınız
page-access = Erişim
page-web-address = Web arayüzü
page-password = Parola
page-password-show = Parolayı göster
page-password-elsewhere = Yalnızca müşteri panelinizde gösterilir.
page-instructions = Talimatlar
page-space = Disk alanı
page-pie-title = Kullanılan ve boş alan
page-pie-desc = { $limit } alanın { $used } kadarı kullanıldı ({ $percent }); { $free } boş.
page-buckets = Bucket'lar
page-bucket = Bucket
page-bucket-size = Boyut
page-bucket-objects = Nesneler
page-no-buckets = Henüz bucket yok.
page-buckets-note = Boyutlar sunucunun son ölçümüne göredir.
page-statistics = Kullanılan alan istatistikleri
page-time-zone = Günler ve aylar { $zone } saat diliminde.
page-daily-title = { $days ->
    [one] Günlük kullanım, son gün
   *[other] Günlük kullanım, son { $days } gün
}
page-daily-desc = { $count ->
    [one] Her günün en yüksek kullanımı, { $unit } cinsinden; bir günde veri var.
   *[other] Her günün en yüksek kullanımı, { $unit } cinsinden; { $count } günde veri var.
}
page-monthly-title = Aylık ortalama kullanım
page-monthly-desc = { $count ->
    [one] Her ayın ortalama kullanımı, { $unit } cinsinden; bir ay.
   *[other] Her ayın ortalama kullanımı, { $unit } cinsinden; { $count } ay.
}
page-no-data = Henüz kullanım kaydedilmedi.
page-show-numbers = Sayıları göster
page-day = Gün
page-month = Ay
page-average = Ortalama
page-admin-title = Depolama hesabı
page-connection = API bağlantısı
page-connection-ok = { $server } sunucusuna bağlı.
page-connection-failed = Bağlı değil: { $error }
page-account = Hesap
page-enabled = Etkin
page-product = Ürün
page-group = Grup
page-email = E-posta
page-limit-policy = Sınır politikası
page-limit-policy-usage = Kullanıma göre
page-limit-policy-standard = Standart (bir yönetici ayarladı)
page-limit-policy-limited = Kısıtlı (bir yönetici ayarladı)
page-disk-usage = Disk kullanımı
page-actions = İşlemler
page-no-actions = Bu durumda hiçbir işlem yapılamaz.
page-status-creating = Oluşturuluyor
page-status-active = Etkin
page-status-suspended = Askıya alındı
page-status-terminating = Sonlandırılıyor
page-status-terminated = Sonlandırıldı
page-status-failed = Oluşturma başarısız
page-action-suspend = Askıya al
page-action-unsuspend = Yeniden etkinleştir
page-action-terminate = Sonlandır
page-action-change-password = Parolayı değiştir
page-action-change-plan = Paketi değiştir
page-action-update-policy = Politikayı güncelle
page-action-set-standard-policy = Standart politikayı uygula
page-action-set-limited-policy = Kısıtlı politikayı uygula
page-new-product = Yeni paket
page-confirm-terminate = Evet, hesabı ve verilerini sil
page-action-done = Tamamlandı: { $action }.
page-action-failed = İşlem başarısız: { $error }
page-new-password = Yeni parola (bir kez gösterilir):
page-refused-title = Bu sayfa gösterilemiyor
page-error-title = Sayfa şu anda gösterilemiyor
page-refused-invalid = Bağlantı geçersiz. Sayfayı müşteri panelinden yeniden açın.
page-refused-expired = Bağlantının süresi doldu. Sayfayı müşteri panelinden yeniden açın.
page-refused-wrong-service = Bağlantı başka bir hizmet için oluşturuldu.
page-refused-wrong-role = Bağlantı başka bir sayfa için oluşturuldu.
page-refused-not-found = Böyle bir sayfa yok.
page-refused-not-configured = Sayfalar bu sunucuda ayarlanmamış.
page-refused-cross-site = İstek başka bir siteden geldi ve reddedildi.
page-refused-action = Bu işlem şu anda hizmet için mümkün değil.
