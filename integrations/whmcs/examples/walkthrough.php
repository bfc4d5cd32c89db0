<?php
/**
 * The module as a WHMCS admin uses it, without WHMCS: a product defined by its module
 * settings (5 GB on Nextcloud), an order created twice (one account), the client's page
 * in German, the admin's tab, suspend and unsuspend, a new password, a move to 10 GB,
 * the usage update and the termination, each against a real `provision serve` on the
 * stand-alone mocks, started as processes. WHMCS's own parts (its database, localAPI,
 * logModuleCall) are the test suite's stand-ins.
 *
 *     cargo build -p provision-cli && php8.2 integrations/whmcs/examples/walkthrough.php
 *
 * The binary: PROVISION_BIN, else target/debug/provision. It prints each step and
 * exits 1 at the first one that does not do what it says.
 */

declare(strict_types=1);

use WHMCS\Database\Capsule;

$whmcs = dirname(__DIR__);
require $whmcs . '/tests/whmcs_standins.php';
require $whmcs . '/tests/ProvisionServeFixture.php';
require $whmcs . '/modules/servers/provision/provision.php';

/** Prints the step, or stops the walk with what happened instead. */
function step(string $what, bool $held, string $detail = ''): void
{
    echo ($held ? 'ok   ' : 'FAIL ') . $what . ($detail === '' ? '' : ": $detail") . "\n";
    if (!$held) {
        throw new RuntimeException("the walkthrough stopped at: $what");
    }
}

/** The Nextcloud mock's account $name, or null. */
function account(ProvisionServeFixture $serve, string $name): ?array
{
    foreach ($serve->mockState('nextcloud')['users'] ?? [] as $user) {
        if ($user['id'] === $name) {
            return $user;
        }
    }
    return null;
}

$serve = new ProvisionServeFixture();
$serve->start();
try {
    $serve->addServerRecord();
    // Products > Module Settings: server "cloud", 5 GB, mail at 80 %, names c{client_id}s{service_id}.
    $settings = [
        'configoption1' => 'cloud', 'configoption2' => 'walkthrough-5g', 'configoption3' => '',
        'configoption4' => 'Storage near its limit', 'configoption5' => 'Storage limit exceeded',
        'configoption7' => '5', 'configoption8' => 'GB', 'configoption9' => '80',
        'configoption12' => 'https://example.com/help/storage', 'configoption13' => 'button',
    ];
    Capsule::insert('tblproducts', ['id' => 1, 'servertype' => 'provision'] + $settings);

    $connection = provision_TestConnection($serve->serverParams());
    step('Test Connection', $connection['success'] === true, $connection['error'] ?? '');

    $params = $serve->newService(500, 1);
    $created = provision_CreateAccount($params);
    $row = Capsule::table('tblhosting')->where('id', 500)->first();
    $params = array_merge($params, ['username' => $row->username, 'password' => $row->password]);
    step('Create', $created === 'success', "account {$row->username}");
    step('the account has the product\'s quota', (account($serve, $row->username)['quota'] ?? '') === '5 GB');

    $again = provision_CreateAccount($params);
    $named = array_filter($serve->mockState('nextcloud')['users'], fn (array $u) => $u['id'] === $row->username);
    step('Create again (a second click, a retried cron)', $again === 'success' && count($named) === 1, 'still one account');

    $page = (string) (provision_ClientArea($params)['templateVariables']['fragment'] ?? '');
    step('the client area shows the page in German', str_contains($page, 'lang="de"') && str_contains($page, 'Ihr Speicher'), strlen($page) . ' bytes of HTML');
    $tab = provision_AdminServicesTabFields($params)['provision'];
    step('the admin tab shows the account with its buttons', str_contains($tab, $row->username) && str_contains($tab, '/admin/suspend'));

    step('Suspend', provision_SuspendAccount($params) === 'success' && account($serve, $row->username)['enabled'] === false);
    step('Unsuspend', provision_UnsuspendAccount($params) === 'success' && account($serve, $row->username)['enabled'] === true);
    $new = 'Walkthrough-' . bin2hex(random_bytes(6));
    $changed = provision_ChangePassword(array_merge($params, ['password' => $new]));
    step('Change Password', $changed === 'success' && account($serve, $row->username)['password'] === $new, 'Nextcloud has the new password');

    $bigger = array_merge($params, ['configoption7' => '10']);
    step('Change Package to 10 GB', provision_ChangePackage($bigger) === 'success' && account($serve, $row->username)['quota'] === '10 GB');

    $usage = provision_UsageUpdate($serve->serverParams());
    $row = Capsule::table('tblhosting')->where('id', 500)->first();
    step('Usage Update (the daily cron)', $usage === 'success' && (int) $row->disklimit === 10 * 1024, "disk limit {$row->disklimit} MB");

    step('Terminate', provision_TerminateAccount($params) === 'success' && account($serve, $row->username) === null, 'the account is gone');
    echo "the walkthrough passed\n";
} catch (Throwable $e) {
    fwrite(STDERR, $e->getMessage() . "\n");
    exit(1);
} finally {
    $serve->stop();
}
