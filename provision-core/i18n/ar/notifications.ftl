# The texts of the default notifications (subject and body) (ar); every id starts with "notification-".

notification-near-limit-subject = مساحة التخزين { $product } ممتلئة بنسبة { $percent }٪
notification-near-limit-body =
    عزيزي العميل { $client_name }،

    يستخدم حساب التخزين { $username } ({ $product }) الآن { $used } { $unit } من أصل { $limit } { $unit } ({ $percent }٪). المساحة المتبقية { $free } { $unit }.

    عندما يتجاوز الحساب حدّه، سيُقيَّد إلى أن تُحذف ملفات كافية. لمواصلة العمل دون انقطاع، أفرغ بعض المساحة أو انتقل إلى باقة أكبر.

notification-suspended-subject = تجاوزت مساحة التخزين { $product } حدّها
notification-suspended-body =
    عزيزي العميل { $client_name }،

    يحتوي حساب التخزين { $username } ({ $product }) على { $used } { $unit }، وهذا أكثر من حدّه البالغ { $limit } { $unit } (نسبة الاستخدام { $percent }٪). تم تقييد الحساب.

    يُرفع التقييد تلقائيًا عندما يعود الحساب إلى ما دون حدّه: احذف الملفات التي لم تعد بحاجة إليها، أو انتقل إلى باقة أكبر.
