<?php
/**
 * The module's functions, called with the parameter arrays WHMCS passes, against a
 * real `provision serve` on the three stand-alone mocks (ProvisionServeFixture).
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;
use WHMCS\Database\Capsule;

final class ModuleTest extends TestCase
{
    private static ProvisionServeFixture $serve;
    private static int $nextService = 100;

    public static function setUpBeforeClass(): void
    {
        self::$serve = new ProvisionServeFixture();
        self::$serve->start();
    }

    public static function tearDownAfterClass(): void
    {
        self::$serve->stop();
    }

    protected function setUp(): void
    {
        Capsule::reset();
        WhmcsRecord::reset();
        Capsule::insert('tblproducts', self::product(1, 'cloud', 'small'));
        Capsule::insert('tblproducts', self::product(2, 'nas', 'nas-small'));
        Capsule::insert('tblproducts', self::product(3, 's3', 'small'));
        self::$serve->addServerRecord();
    }

    public static function backends(): array
    {
        return ['nextcloud' => ['nextcloud'], 'synology' => ['synology'], 'minio' => ['minio']];
    }

    /** @dataProvider backends */
    public function testARepeatedCreateAccountMakesOneAccount(string $backend): void
    {
        $params = $this->newService($backend);
        $this->assertSame('success', provision_CreateAccount($params));
        $first = $this->hosting($params);
        $this->assertSame('c42s' . $params['serviceid'], $first->username);
        $this->assertNotSame('whmcs-made', $first->password, 'the password the account got is in WHMCS');
        $this->assertSame($first->password, $this->accountPassword($backend, $first->username));

        // WHMCS runs Create again (a second click, a cron retry): the same account.
        $this->assertSame('success', provision_CreateAccount(array_merge($params, ['username' => $first->username])));
        $this->assertSame(1, $this->accountsNamed($backend, $first->username));
        $this->assertSame(1, count(array_filter($this->accountNames($backend), fn (string $n) => str_starts_with($n, 'c42s' . $params['serviceid']))));
        $again = $this->hosting($params);
        $this->assertSame($first->username, $again->username);
        $this->assertSame($first->password, $again->password, 'a repeated create keeps the first password');
        $service = self::$serve->api("/v1/services/{$params['configoption1']}/{$params['serviceid']}")['service'];
        $this->assertSame('active', $service['status']);
    }

    /** @dataProvider backends */
    public function testSuspendUnsuspendPasswordPackageTerminate(string $backend): void
    {
        $params = $this->created($backend);
        $username = $this->hosting($params)->username;

        $this->assertSame('success', provision_SuspendAccount($params));
        $this->assertFalse($this->accountEnabled($backend, $username));
        $this->assertSame('suspended', $this->ledgerStatus($params));
        $this->assertSame('success', provision_UnsuspendAccount($params));
        $this->assertTrue($this->accountEnabled($backend, $username));
        // A second suspension after the unsuspension is a new order, not a replay.
        $this->assertSame('success', provision_SuspendAccount($params));
        $this->assertFalse($this->accountEnabled($backend, $username));
        $this->assertSame('success', provision_UnsuspendAccount($params));

        $this->assertSame('success', provision_ChangePassword(array_merge($params, ['password' => 'New-Passw0rd-2026'])));
        $this->assertSame('New-Passw0rd-2026', $this->accountPassword($backend, $username));
        // A second change to another password is not swallowed as a replay.
        $this->assertSame('success', provision_ChangePassword(array_merge($params, ['password' => 'Other-Passw0rd-77'])));
        $this->assertSame('Other-Passw0rd-77', $this->accountPassword($backend, $username));

        $larger = $backend === 'synology' ? 'nas-large' : 'large';
        $this->assertSame('success', provision_ChangePackage(array_merge($params, ['configoption2' => $larger])));
        $service = self::$serve->api("/v1/services/{$params['configoption1']}/{$params['serviceid']}")['service'];
        $this->assertSame($larger, $service['product']);

        $this->assertSame('success', provision_TerminateAccount($params));
        $this->assertSame(0, $this->accountsNamed($backend, $username));
        $this->assertSame('terminated', $this->ledgerStatus($params));
    }

    public function testErrorsComeBackAsTheMessageWhmcsShows(): void
    {
        $unknown = $this->newService('nextcloud');
        $message = provision_SuspendAccount($unknown);
        $this->assertNotSame('success', $message);
        $this->assertStringStartsWith('provision serve: ', $message);
        $this->assertStringContainsString($unknown['serviceid'], $message);

        $noProduct = array_merge($this->newService('nextcloud'), ['configoption2' => 'gold']);
        $this->assertStringContainsString('gold', provision_CreateAccount($noProduct));

        $unset = array_merge($this->newService('nextcloud'), ['configoption1' => '']);
        $this->assertStringContainsString('Storage server', provision_CreateAccount($unset));

        $created = $this->created('nextcloud');
        $tooShort = provision_ChangePassword(array_merge($created, ['password' => 'short']));
        $this->assertStringContainsString('16', $tooShort, 'the refusal names the rule: ' . $tooShort);

        $unreachable = array_merge($created, ['serverport' => (string) self::closedPort()]);
        $this->assertStringContainsString('did not answer', provision_SuspendAccount($unreachable));

        $badToken = array_merge($created, ['serveraccesshash' => 'not-a-token']);
        $refused = provision_SuspendAccount($badToken);
        $this->assertStringStartsWith('provision serve: ', $refused);
        $this->assertStringNotContainsString('not-a-token', $refused);
    }

    public function testNoTokenOrPasswordReachesTheModuleLog(): void
    {
        $params = $this->created('synology');
        // Quotes, a backslash and a non-ASCII letter stand escaped in JSON text.
        $chosen = 'Logged-"Pässw0rd\\-1';
        provision_ChangePassword(array_merge($params, ['password' => $chosen]));
        provision_SuspendAccount(array_merge($params, ['serveraccesshash' => 'wrong-token-value']));
        // The signed links of the pages: each opens a service's page for minutes.
        provision_ClientArea($params);
        provision_AdminServicesTabFields($params);
        $password = $this->hosting($params)->password;
        $this->assertNotEmpty(WhmcsRecord::$moduleCalls);
        foreach (WhmcsRecord::$moduleCalls as $call) {
            $received = json_encode([$call['request'], $call['response'], $call['processed']]);
            $this->assertStringNotContainsString(self::$serve->adminToken, $received, 'the token is never handed to the log');
            $this->assertStringNotContainsString('wrong-token-value', $received);
            $this->assertStringNotContainsString('?link=', $received, 'no signed page link is logged');
            $this->assertDoesNotMatchRegularExpression('/"link": "[^(]/', $received, 'no signed page link is logged');
            foreach ([$chosen, json_encode($chosen), $password] as $secret) {
                $this->assertStringNotContainsString(trim((string) $secret, '"'), $received, 'no password is handed to the log, in any spelling');
            }
            $this->assertTrue(
                in_array(self::$serve->adminToken, $call['replace'], true) || in_array('wrong-token-value', $call['replace'], true),
                'the token of the call is in the list of values to hide',
            );
        }
        foreach (WhmcsRecord::$storedLog as $stored) {
            $this->assertStringNotContainsString(self::$serve->adminToken, $stored);
            $this->assertStringNotContainsString('Logged-', $stored);
            $this->assertStringNotContainsString($password, $stored, 'the created password is hidden too');
        }
        $created = array_filter(WhmcsRecord::$moduleCalls, fn (array $c) => $c['action'] === 'CreateAccount');
        $this->assertNotEmpty($created);
        $this->assertStringContainsString('"password": "(hidden)"', implode("\n", array_column($created, 'response')), 'the create answer is logged with its password hidden');
        $links = array_filter(WhmcsRecord::$moduleCalls, fn (array $c) => str_starts_with($c['request'], 'POST /v1/pages/links'));
        $this->assertCount(2, $links, 'the link requests are logged, without their links');
    }

    public function testTestConnectionNeedsAnAdminToken(): void
    {
        $this->assertSame(['success' => true, 'error' => ''], provision_TestConnection(self::$serve->serverParams()));
        $ordersOnly = provision_TestConnection(self::$serve->serverParams(self::$serve->provisionToken));
        $this->assertFalse($ordersOnly['success']);
        $this->assertStringContainsString('--scope admin', $ordersOnly['error']);
        $none = provision_TestConnection(array_merge(self::$serve->serverParams(), ['serveraccesshash' => '']));
        $this->assertFalse($none['success']);
        $this->assertStringContainsString('access hash', $none['error']);
    }

    public function testUsageUpdateWritesUsageAndLimitInMegabytes(): void
    {
        $cloud = $this->created('nextcloud');
        $nas = $this->created('synology');
        foreach (['nextcloud' => $cloud, 'synology' => $nas] as $backend => $params) {
            $name = $this->hosting($params)->username;
            self::$serve->control($backend, 'PUT', "/users/$name/usage", ['bytes' => 300 * 1024 * 1024]);
        }
        $this->assertSame('success', provision_UsageUpdate(self::$serve->serverParams()));
        foreach ([$cloud, $nas] as $params) {
            $row = $this->hosting($params);
            $this->assertSame(300, $row->diskusage);
            $this->assertSame(1024, $row->disklimit);
            $this->assertNotEmpty($row->lastupdate);
        }
    }

    public function testTheDailyHookMailsWhatIsOwedAndConfirmsIt(): void
    {
        $params = $this->created('nextcloud');
        $name = $this->hosting($params)->username;
        self::$serve->control('nextcloud', 'PUT', "/users/$name/usage", ['bytes' => 900 * 1024 * 1024]);
        $this->assertSame('success', provision_UsageUpdate(self::$serve->serverParams()));
        $owed = array_filter(self::$serve->api('/v1/actions?limit=1000')['pending_actions'], fn (array $a) => $a['service_id'] === $params['serviceid']);
        $this->assertCount(1, $owed);
        $this->assertSame('notify_near_limit', array_values($owed)[0]['kind']);

        // A mail that fails is not confirmed: it comes back when the (here: one second's) lease ends.
        WhmcsRecord::$sendEmailFails = 'Sending Failed';
        $failed = ProvisionModule::deliverActions(1);
        $this->assertSame(0, $failed['confirmed']);
        $this->assertNotEmpty(array_filter($failed['errors'], fn (string $m) => str_contains($m, 'Sending Failed')));
        usleep(1_200_000);

        WhmcsRecord::reset();
        $this->runDailyHook();
        $this->assertNotEmpty(array_filter(WhmcsRecord::$activity, fn (string $m) => str_contains($m, 'e-mails sent')));
        $mails = array_values(array_filter(WhmcsRecord::$api, fn (array $c) => $c['command'] === 'SendEmail' && $c['values']['id'] === (int) $params['serviceid']));
        $this->assertCount(1, $mails);
        $this->assertSame('Storage near its limit', $mails[0]['values']['messagename']);
        $fields = unserialize(base64_decode($mails[0]['values']['customvars']));
        $this->assertSame('notify_near_limit', $fields['action_kind']);
        $this->assertSame($name, $fields['username']);
        $this->assertSame('87', $fields['disk_used_percentage']);
        // Sizes in the unit are shown as the original modules show them: no trailing zeros.
        $this->assertSame('1', $fields['disk_limit']);
        $left = array_filter(self::$serve->api('/v1/actions?limit=1000')['pending_actions'], fn (array $a) => $a['service_id'] === $params['serviceid']);
        $this->assertSame([], $left, 'the sent mail was confirmed');
    }

    public function testEveryMailKindGoesOutWithItsTemplateBatchAfterBatch(): void
    {
        Capsule::table('tblproducts')->where('id', 1)->update(['configoption6' => 'Storage back under its limit']);
        $services = [$this->created('nextcloud'), $this->created('nextcloud'), $this->created('nextcloud')];
        $mine = array_column($services, 'serviceid');
        $setUsage = function (int $megabytes) use ($services): void {
            foreach ($services as $service) {
                $name = $this->hosting($service)->username;
                self::$serve->control('nextcloud', 'PUT', "/users/$name/usage", ['bytes' => $megabytes * 1024 * 1024]);
            }
            $this->assertSame('success', provision_UsageUpdate(self::$serve->serverParams()));
        };
        $mailed = function () use ($mine): array {
            $mails = array_filter(WhmcsRecord::$api, fn (array $c) => $c['command'] === 'SendEmail' && in_array((string) $c['values']['id'], $mine, true));
            return array_count_values(array_map(fn (array $c) => $c['values']['messagename'], $mails));
        };
        $pending = fn (): array => array_filter(self::$serve->api('/v1/actions?limit=1000')['pending_actions'], fn (array $a) => in_array($a['service_id'], $mine, true));

        // Past the limit, then back under it: three mails of each kind, two a batch.
        $setUsage(1100);
        $this->assertCount(3, $pending());
        $this->assertSame(['limit_exceeded'], array_values(array_unique(array_column($pending(), 'kind'))));
        ProvisionModule::deliverActions(900, 2);
        $this->assertSame(['Storage limit exceeded' => 3], $mailed(), 'each owed mail, once, whatever the batch');
        $this->assertSame([], $pending(), 'all three were confirmed');

        WhmcsRecord::reset();
        $setUsage(100);
        $this->assertSame(['back_under_limit'], array_values(array_unique(array_column($pending(), 'kind'))));
        ProvisionModule::deliverActions(900, 2);
        $this->assertSame(['Storage back under its limit' => 3], $mailed());
        $fields = unserialize(base64_decode(array_values(array_filter(WhmcsRecord::$api, fn (array $c) => $c['command'] === 'SendEmail'))[0]['values']['customvars']));
        $this->assertSame('back_under_limit', $fields['action_kind']);
        $this->assertSame([], $pending());
    }

    public function testTheServerRecordGivesTheAddressWithTheModulesDefaultPorts(): void
    {
        $address = fn (array $fields): string => ProvisionApiClient::fromServerParams(array_merge(['serveraccesshash' => 't'], $fields))->baseUrl();
        $this->assertSame('http://10.0.0.5:8080', $address(['serverhostname' => '', 'serverip' => '10.0.0.5', 'serverport' => '', 'serversecure' => '']));
        $this->assertSame('https://serve.example.com:8443', $address(['serverhostname' => 'serve.example.com', 'serverport' => '', 'serversecure' => 'on']));
        $this->assertSame('https://serve.example.com:9443', $address(['serverhostname' => 'https://serve.example.com:9443/', 'serverport' => '', 'serversecure' => '']));
        $this->assertSame('https://proxy.example.com:443', $address(['serverhostname' => 'https://proxy.example.com', 'serverport' => '', 'serversecure' => '']), 'a TLS proxy on its scheme\'s port');
        $this->assertSame('http://[::1]:8081', $address(['serverhostname' => '::1', 'serverport' => '8081', 'serversecure' => '']));
        $meta = provision_MetaData();
        $this->assertSame([(string) ProvisionApiClient::DEFAULT_PORT, (string) ProvisionApiClient::DEFAULT_SECURE_PORT], [$meta['DefaultNonSSLPort'], $meta['DefaultSSLPort']]);
        $this->expectException(ProvisionApiError::class);
        $address(['serverhostname' => 'serve.example.com', 'serveraccesshash' => '', 'serverpassword' => '']);
    }

    public function testMinioButtonsHoldAndReleaseTheLimitPolicy(): void
    {
        $params = $this->created('minio');
        $this->assertSame(
            ['Update policy' => 'policyUpdate', 'Set standard policy' => 'policyStandard', 'Set limited policy' => 'policyLimited'],
            provision_AdminCustomButtonArray($params),
        );
        $this->assertSame([], provision_AdminCustomButtonArray($this->created('nextcloud')));

        $this->assertSame('success', provision_policyLimited($params));
        $this->assertSame('limited', $this->ledgerService($params)['limit_override'] ?? null);
        $this->assertSame('success', provision_policyStandard($params));
        $this->assertSame('standard', $this->ledgerService($params)['limit_override'] ?? null);
        $this->assertSame('success', provision_policyUpdate($params));
        $this->assertNull($this->ledgerService($params)['limit_override'] ?? null);

        $notMinio = provision_policyLimited($this->created('synology'));
        $this->assertStringStartsWith('provision serve: ', $notMinio);
    }

    public function testClientAreaShowsTheTemplateWithTheProblemWhenThePageCannotBeHad(): void
    {
        $params = array_merge($this->created('nextcloud'), ['serverport' => (string) self::closedPort()]);
        $area = provision_ClientArea($params);
        $this->assertSame('templates/clientarea.tpl', $area['tabOverviewModuleOutputTemplate']);
        $this->assertStringContainsString('did not answer', $area['templateVariables']['error']);
        $this->assertFileExists(dirname(__DIR__) . '/modules/servers/provision/' . $area['tabOverviewModuleOutputTemplate']);
        $tab = provision_AdminServicesTabFields($params);
        $this->assertStringContainsString('did not answer', $tab['provision']);
    }

    public function testMetaDataAndConfigOptionsAreWhatWhmcsReads(): void
    {
        $meta = provision_MetaData();
        $this->assertSame('1.1', $meta['APIVersion'], 'parameters arrive as an array (API 1.1)');
        $this->assertTrue($meta['RequiresServer'], 'the address and token come from the server record');
        $this->assertNotSame('', $meta['DisplayName']);

        $options = provision_ConfigOptions();
        $this->assertLessThanOrEqual(24, count($options), 'WHMCS keeps configoption1..24');
        foreach ($options as $label => $option) {
            $this->assertContains($option['Type'], ['text', 'password', 'yesno', 'dropdown', 'radio', 'textarea'], $label);
            if ($option['Type'] === 'dropdown') {
                $choices = explode(',', $option['Options']);
                $this->assertContains($option['Default'], $choices, "$label: its default is one of its options");
            }
        }
        // WHMCS numbers the settings in the order given: each is read under its number.
        $numbered = array_combine(range(1, count($options)), array_keys($options));
        $this->assertSame('Storage server', $numbered[(int) substr(ProvisionModule::OPTION_SERVER, 12)]);
        $this->assertSame('Pages address for browsers', $numbered[(int) substr(ProvisionModule::OPTION_PAGES_ADDRESS, 12)]);
        $this->assertSame('Disk size', $numbered[(int) substr(ProvisionModule::OPTION_DISK_SIZE, 12)]);
        $this->assertSame('Password rule', $numbered[(int) substr(ProvisionModule::OPTION_PASSWORD_RULE, 12)]);
        $this->assertSame('MinIO: limited policy', $numbered[(int) substr(ProvisionModule::OPTION_MINIO_LIMITED_POLICY, 12)]);
    }

    public function testClientAreaEmbedsTheClientPageInTheClientsLanguageWithThePassword(): void
    {
        $params = $this->created('nextcloud');
        $area = provision_ClientArea($params);
        $this->assertSame('templates/clientarea.tpl', $area['tabOverviewModuleOutputTemplate']);
        $vars = $area['templateVariables'];
        $this->assertNull($vars['error']);
        $this->assertNull($vars['frame_url'], 'no pages address: WHMCS fetches the page');
        $page = (string) $vars['fragment'];
        $this->assertStringNotContainsString('<html', $page, 'a fragment, without the document around it');
        $this->assertStringContainsString('lang="de"', $page, 'the client reads German in WHMCS');
        $this->assertStringContainsString('Ihr Speicher', $page);
        $this->assertStringContainsString($params['username'], $page);
        $this->assertStringContainsString('1,00 GB', $page, "the product's quota, in German digits");
        $this->assertStringContainsString($params['password'], $page, 'the password, sent in the form body, is shown behind its button');

        $english = array_merge($params, ['clientsdetails' => array_merge($params['clientsdetails'], ['language' => 'english'])]);
        $this->assertStringContainsString('lang="en"', (string) provision_ClientArea($english)['templateVariables']['fragment']);
    }

    public function testAdminServicesTabFieldsEmbedsTheAdminPage(): void
    {
        $params = $this->created('minio');
        $tab = provision_AdminServicesTabFields($params);
        $this->assertSame(['provision'], array_keys($tab));
        $page = $tab['provision'];
        $this->assertStringNotContainsString('alert-warning', $page);
        $this->assertStringContainsString($params['username'], $page);
        $this->assertStringContainsString('lang="en"', $page, 'the admin page is in English');
        foreach (['suspend', 'change-password', 'terminate'] as $action) {
            $this->assertStringContainsString("/pages/s3/{$params['serviceid']}/admin/$action", $page, "the $action button");
        }
        $this->assertStringNotContainsString($params['password'], $page, 'the admin page never holds the password');
    }

    public function testWithAPagesAddressThePagesShowInAnIframeAndAnAlteredLinkIsRefused(): void
    {
        // The pages address: where browsers reach provision serve (here, the same
        // loopback address the module uses).
        Capsule::table('tblproducts')->where('id', 1)->update(['configoption3' => self::$serve->url . '/']);
        $params = array_merge($this->created('nextcloud'), ['configoption3' => self::$serve->url . '/']);
        $vars = provision_ClientArea($params)['templateVariables'];
        $this->assertNull($vars['error']);
        $this->assertNull($vars['fragment']);
        $frame = (string) $vars['frame_url'];
        $this->assertStringStartsWith(self::$serve->url . "/pages/cloud/{$params['serviceid']}/client?link=", $frame);

        $page = self::$serve->browse($frame);
        $this->assertSame(200, $page['status']);
        $this->assertStringContainsString('<html lang="de"', $page['body']);
        $this->assertStringContainsString($params['username'], $page['body']);
        $this->assertStringNotContainsString($params['password'], $page['body'], 'a page behind a URL never holds the password');
        $this->assertStringContainsString("frame-ancestors 'self' " . ProvisionServeFixture::WHMCS_ORIGIN, $page['headers']['content-security-policy'] ?? '');

        // One character of the link's signature changed: refused, and nothing of the
        // account shown.
        parse_str((string) parse_url($frame, PHP_URL_QUERY), $query);
        $token = (string) $query['link'];
        $at = strrpos($token, '.') + 5;
        $token[$at] = $token[$at] === 'A' ? 'B' : 'A';
        $altered = strtok($frame, '?') . '?link=' . rawurlencode($token);
        $refused = self::$serve->browse($altered);
        $this->assertSame(403, $refused['status']);
        $this->assertStringNotContainsString($params['username'], $refused['body']);

        $tab = provision_AdminServicesTabFields($params)['provision'];
        $this->assertMatchesRegularExpression('#^<iframe src="' . preg_quote(self::$serve->url, '#') . '/pages/cloud/' . $params['serviceid'] . '/admin\?link=[^"]+"#', $tab);
        preg_match('#src="([^"]+)"#', $tab, $match);
        $admin = self::$serve->browse(html_entity_decode($match[1], ENT_QUOTES));
        $this->assertSame(200, $admin['status']);
        $this->assertStringContainsString("/pages/cloud/{$params['serviceid']}/admin/suspend", $admin['body']);
    }

    /** A WHMCS product whose module settings define the provision product (Disk size set). */
    private static function definingProduct(int $id, string $server, array $settings = []): array
    {
        return array_merge(self::product($id, $server, ''), [
            'configoption7' => '3', 'configoption8' => 'GB', 'configoption9' => '75',
            'configoption10' => '', 'configoption11' => '60',
            'configoption12' => 'https://example.com/help/storage', 'configoption13' => 'plain',
            'configoption14' => 'w{client_id}s{service_id}', 'configoption15' => '20',
        ], $settings);
    }

    public function testAProductDefinedInWhmcsGivesTheAccountItsSettings(): void
    {
        Capsule::insert('tblproducts', self::definingProduct(4, 'cloud'));
        $params = $this->newService('nextcloud', 4);
        $this->assertSame('success', provision_CreateAccount($params));
        $name = $this->hosting($params)->username;
        $this->assertSame('w42s' . $params['serviceid'], $name, 'the name rule of the WHMCS product');
        $this->assertSame(20, strlen($this->hosting($params)->password), 'its password rule');
        $this->assertSame('3 GB', $this->account('nextcloud', $name)['quota']);
        $product = self::$serve->api('/v1/products/whmcs-4')['product'];
        $this->assertSame('ledger', $product['source']);
        $this->assertSame(75, $product['notify_at']);
        $this->assertSame(60, $product['history_days']);
        $this->assertSame('plain', $product['password_display']);
        $this->assertSame('https://example.com/help/storage', $product['instructions_url']);
        $this->assertSame('whmcs-4', $this->ledgerService($params)['product']);

        // Its notify-at share is the sweep's: 80 % of 3 GB passes 75 %.
        self::$serve->control('nextcloud', 'PUT', "/users/$name/usage", ['bytes' => (int) (0.8 * 3 * 1024 ** 3)]);
        $this->assertSame('success', provision_UsageUpdate(self::$serve->serverParams()));
        $this->assertSame(3072, $this->hosting($params)->disklimit);
        $owed = array_filter(self::$serve->api('/v1/actions?limit=1000')['pending_actions'], fn (array $a) => $a['service_id'] === $params['serviceid']);
        $this->assertSame(['notify_near_limit'], array_values(array_column($owed, 'kind')));
    }

    public function testChangePackageAfterTheProductsSettingsChangedAppliesThem(): void
    {
        Capsule::insert('tblproducts', self::definingProduct(4, 'cloud'));
        $params = $this->newService('nextcloud', 4);
        $this->assertSame('success', provision_CreateAccount($params));
        $name = $this->hosting($params)->username;
        $this->assertSame('3 GB', $this->account('nextcloud', $name)['quota']);

        // The admin raises the disk size of the WHMCS product and runs Change Package.
        $edited = array_merge($params, ['configoption7' => '5']);
        $this->assertSame('success', provision_ChangePackage($edited));
        $this->assertSame('5 GB', $this->account('nextcloud', $name)['quota']);
        $this->assertSame(5 << 30, self::$serve->api('/v1/products/whmcs-4')['product']['quota_bytes']);
        // And again, in another unit: a new order, not a replay of the last one.
        $this->assertSame('success', provision_ChangePackage(array_merge($params, ['configoption7' => '512', 'configoption8' => 'MB'])));
        $this->assertSame('512 MB', $this->account('nextcloud', $name)['quota']);
        // The product's group edited twice: each time the account leaves the group the
        // last one put it in.
        $this->assertSame('success', provision_ChangePackage(array_merge($params, ['configoption10' => 'storage-basic'])));
        $this->assertSame(['storage-basic'], $this->account('nextcloud', $name)['groups']);
        $this->assertSame('success', provision_ChangePackage(array_merge($params, ['configoption10' => 'storage-plus'])));
        $this->assertSame(['storage-plus'], $this->account('nextcloud', $name)['groups']);
    }

    public function testABadProductSettingIsNamedAndNothingIsMade(): void
    {
        $before = $this->accountNames('nextcloud');
        foreach ([
            ['configoption9' => '140', 'Notify at %'],
            ['configoption9' => 'often', 'Notify at %'],
            ['configoption7' => 'ten', 'Disk size'],
            ['configoption12' => 'javascript:alert(1)', 'Instructions link'],
            ['configoption14' => 'w{no_such_field}', 'User name rule'],
        ] as $case) {
            $label = array_pop($case);
            $settings = array_diff_key(self::definingProduct(1, 'cloud', $case), ['id' => 0, 'servertype' => 0]);
            $params = array_merge($this->newService('nextcloud'), $settings, ['pid' => 9]);
            $message = provision_CreateAccount($params);
            $this->assertStringContainsString('"' . $label . '"', $message, json_encode($case));
        }
        $this->assertSame($before, $this->accountNames('nextcloud'), 'no account was made');
        $this->assertSame([], array_values(array_filter(
            self::$serve->api('/v1/products')['products'],
            fn (array $p) => $p['name'] === 'whmcs-9',
        )), 'no product was kept');

        // A WHMCS product cannot redefine a product of provision.toml.
        $taken = array_merge($this->newService('nextcloud'), array_diff_key(self::definingProduct(1, 'cloud', ['configoption2' => 'small']), ['id' => 0, 'servertype' => 0]));
        $this->assertStringContainsString('provision.toml has a product "small"', provision_CreateAccount($taken));
        $this->assertSame(1 << 30, self::$serve->api('/v1/products/small')['product']['quota_bytes']);
    }

    public function testAMinioProductsOwnPoliciesAndDefaultBucketAreUsed(): void
    {
        $standard = '{"Version":"2012-10-17","Statement":[{"Sid":"WhmcsStandard","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}';
        $limited = '{"Version":"2012-10-17","Statement":[{"Sid":"WhmcsLimited","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket","s3:DeleteObject"],"Resource":["arn:aws:s3:::{{namespace}}","arn:aws:s3:::{{namespace}}/*"]}]}';
        Capsule::insert('tblproducts', self::definingProduct(5, 's3', [
            'configoption14' => 'm{client_id}s{service_id}',
            'configoption16' => 'no', 'configoption17' => $standard, 'configoption18' => $limited,
        ]));
        $params = $this->newService('minio', 5);
        $this->assertSame('success', provision_CreateAccount($params));
        $name = $this->hosting($params)->username;
        $state = self::$serve->mockState('minio');
        $this->assertSame([], array_values(array_filter(array_column($state['buckets'] ?? [], 'name'), fn (string $b) => str_starts_with($b, $name))), 'the product makes no bucket');
        $this->assertSame('WhmcsStandard', $this->minioPolicySid($name));
        $this->assertSame('success', provision_policyLimited($params));
        $this->assertSame('WhmcsLimited', $this->minioPolicySid($name));

        // A policy that reaches other tenants' buckets is refused, naming the setting.
        $escaping = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"}]}';
        $message = provision_ChangePackage(array_merge($params, ['configoption17' => $escaping]));
        $this->assertStringContainsString('"MinIO: standard policy"', $message);
        $this->assertStringContainsString('outside', $message);
        $this->assertSame('WhmcsLimited', $this->minioPolicySid($name), 'nothing changed on the server');
    }

    private function minioPolicySid(string $user): string
    {
        $state = self::$serve->mockState('minio');
        $policy = $this->account('minio', $user)['policies'][0];
        foreach ($state['policies'] ?? [] as $entry) {
            if ($entry['name'] === $policy) {
                return (string) ($entry['document']['Statement'][0]['Sid'] ?? '');
            }
        }
        $this->fail("no policy $policy on the MinIO mock");
    }

    // ---- helpers ------------------------------------------------------------------

    private static function product(int $id, string $server, string $product): array
    {
        return [
            'id' => $id, 'servertype' => 'provision',
            'configoption1' => $server, 'configoption2' => $product, 'configoption3' => '',
            'configoption4' => 'Storage near its limit', 'configoption5' => 'Storage limit exceeded',
            'configoption6' => '',
        ];
    }

    /** A new WHMCS service of the backend's product, and the parameters WHMCS passes for it. */
    private function newService(string $backend, ?int $pid = null): array
    {
        $pid ??= ['nextcloud' => 1, 'synology' => 2, 'minio' => 3][$backend];
        return self::$serve->newService(self::$nextService++, $pid);
    }

    private function created(string $backend): array
    {
        $params = $this->newService($backend);
        $this->assertSame('success', provision_CreateAccount($params));
        $row = $this->hosting($params);
        return array_merge($params, ['username' => $row->username, 'password' => $row->password]);
    }

    private function hosting(array $params): object
    {
        return Capsule::table('tblhosting')->where('id', $params['serviceid'])->first();
    }

    private function ledgerService(array $params): array
    {
        return self::$serve->api("/v1/services/{$params['configoption1']}/{$params['serviceid']}")['service'];
    }

    private function ledgerStatus(array $params): string
    {
        return $this->ledgerService($params)['status'];
    }

    /** @return list<string> */
    private function accountNames(string $backend): array
    {
        $state = self::$serve->mockState($backend);
        $key = ['nextcloud' => 'id', 'synology' => 'name', 'minio' => 'access_key'][$backend];
        return array_map(fn (array $user) => (string) $user[$key], $state['users'] ?? []);
    }

    private function accountsNamed(string $backend, string $name): int
    {
        return count(array_filter($this->accountNames($backend), fn (string $n) => $n === $name));
    }

    private function account(string $backend, string $name): array
    {
        $key = ['nextcloud' => 'id', 'synology' => 'name', 'minio' => 'access_key'][$backend];
        foreach (self::$serve->mockState($backend)['users'] ?? [] as $user) {
            if ($user[$key] === $name) {
                return $user;
            }
        }
        $this->fail("no account $name on the $backend mock");
    }

    private function accountPassword(string $backend, string $name): string
    {
        $user = $this->account($backend, $name);
        return (string) ($backend === 'minio' ? $user['secret_key'] : $user['password']);
    }

    private function accountEnabled(string $backend, string $name): bool
    {
        $user = $this->account($backend, $name);
        return match ($backend) {
            'nextcloud' => (bool) ($user['enabled'] ?? true),
            'synology' => ($user['expired'] ?? 'normal') === 'normal',
            'minio' => ($user['status'] ?? 'enabled') === 'enabled',
        };
    }

    private function runDailyHook(): void
    {
        $this->assertCount(1, WhmcsRecord::$hooks['DailyCronJob'] ?? []);
        (WhmcsRecord::$hooks['DailyCronJob'][0])([]);
    }

    private static function closedPort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        $name = stream_socket_get_name($socket, false);
        fclose($socket);
        return (int) substr($name, strrpos($name, ':') + 1);
    }
}
