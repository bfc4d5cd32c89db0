<?php
/**
 * The daily hook: the mails `provision serve` owes customers (near the limit, limit
 * exceeded, back under it) go out through WHMCS's SendEmail with the product's
 * templates, and each sent one is confirmed; an unsent one comes back next day.
 */

declare(strict_types=1);

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once __DIR__ . '/lib/Module.php';

add_hook('DailyCronJob', 1, function (array $vars): void {
    $report = ProvisionModule::deliverActions();
    foreach ($report['errors'] as $error) {
        logActivity('provision: ' . $error);
    }
    if ($report['sent'] > 0 || $report['confirmed'] > 0) {
        logActivity(sprintf('provision: %d e-mails sent, %d actions confirmed', $report['sent'], $report['confirmed']));
    }
});
