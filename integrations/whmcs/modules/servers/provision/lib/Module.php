<?php
/**
 * What the module's functions do, on top of `provision serve`: each takes the
 * parameter array WHMCS passes and returns what WHMCS expects ("success" or an error
 * message, or the arrays of TestConnection, ClientArea and the tab fields).
 *
 * The ledger behind `provision serve` is the system of record: which account a WHMCS
 * service owns, its product (quota, plan groups, notify-at share, MinIO policies,
 * history days, password display, instructions link: `[products.NAME]` in
 * provision.toml), its usage history and the mails owed. The WHMCS product names the
 * server and the product; WHMCS keeps the account's name and password as it does for
 * every module.
 */

declare(strict_types=1);

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once __DIR__ . '/ApiClient.php';

use WHMCS\Database\Capsule;

/** A setting of the WHMCS product is missing or wrong; nothing was sent. */
final class ProvisionSettingError extends RuntimeException
{
}

final class ProvisionModule
{
    public const NAME = 'provision';

    /** The product's module settings, in the order of provision_ConfigOptions. */
    public const OPTION_SERVER = 'configoption1';
    public const OPTION_PRODUCT = 'configoption2';
    public const OPTION_PAGES_ADDRESS = 'configoption3';
    public const OPTION_TEMPLATE_NEAR_LIMIT = 'configoption4';
    public const OPTION_TEMPLATE_LIMIT_EXCEEDED = 'configoption5';
    public const OPTION_TEMPLATE_BACK_UNDER = 'configoption6';

    /** The e-mail template setting of each action kind the outbox holds. */
    public const TEMPLATE_OF_KIND = [
        'notify_near_limit' => self::OPTION_TEMPLATE_NEAR_LIMIT,
        'limit_exceeded' => self::OPTION_TEMPLATE_LIMIT_EXCEEDED,
        'back_under_limit' => self::OPTION_TEMPLATE_BACK_UNDER,
    ];

    /** WHMCS's language names and the pages' language tags. */
    private const LANGUAGES = [
        'arabic' => 'ar', 'azerbaijani' => 'az', 'catalan' => 'ca', 'chinese' => 'zh',
        'croatian' => 'hr', 'czech' => 'cs', 'danish' => 'da', 'dutch' => 'nl',
        'english' => 'en', 'estonian' => 'et', 'farsi' => 'fa', 'french' => 'fr',
        'german' => 'de', 'hebrew' => 'he', 'hungarian' => 'hu', 'italian' => 'it',
        'macedonian' => 'mk', 'norwegian' => 'nb', 'polish' => 'pl', 'romanian' => 'ro',
        'russian' => 'ru', 'spanish' => 'es', 'swedish' => 'sv', 'turkish' => 'tr',
        'ukranian' => 'uk', 'ukrainian' => 'uk',
    ];

    /** How long a sweep started by UsageUpdate is waited for, in seconds. */
    private const SWEEP_WAIT_SECONDS = 600;

    /** How long the daily hook holds the actions it took, in seconds. */
    private const ACTION_LEASE_SECONDS = 900;

    // ---- the orders ------------------------------------------------------------------

    /** CreateAccount: the account, or the one an earlier attempt made; its name and password into WHMCS. */
    public static function create(array $params): string
    {
        return self::guard($params, 'CreateAccount', function (array $params): string {
            [$server, $product] = self::serverAndProduct($params);
            $serviceId = self::serviceId($params);
            $client = $params['clientsdetails'] ?? [];
            $body = [
                'server' => $server,
                'service_id' => $serviceId,
                'client_id' => (string) ($params['userid'] ?? ''),
                'product' => $product,
            ];
            $email = trim((string) ($client['email'] ?? ''));
            if ($email !== '') {
                $body['email'] = $email;
            }
            $name = trim(((string) ($client['firstname'] ?? '')) . ' ' . ((string) ($client['lastname'] ?? '')));
            if ($name === '') {
                $name = trim((string) ($client['companyname'] ?? ''));
            }
            if ($name !== '') {
                $body['display_name'] = $name;
            }
            if ($body['client_id'] === '') {
                throw new ProvisionSettingError('WHMCS passed no client id (userid)');
            }
            $created = self::client($params, 'CreateAccount')
                ->post('/v1/services', $body, self::idempotencyKey($serviceId, 'create', json_encode($body)));
            $update = ['serviceid' => $serviceId, 'serviceusername' => (string) $created['username']];
            if (isset($created['password']) && is_string($created['password'])) {
                $update['servicepassword'] = $created['password'];
            }
            $recorded = localAPI('UpdateClientProduct', $update);
            if (($recorded['result'] ?? '') !== 'success') {
                return sprintf(
                    'The account %s exists, but WHMCS did not record it (%s); run Create again, then Change Password',
                    $created['username'],
                    (string) ($recorded['message'] ?? 'no answer'),
                );
            }
            return 'success';
        });
    }

    /** SuspendAccount, UnsuspendAccount, TerminateAccount: `suspend`, `unsuspend`, `terminate`. */
    public static function status(array $params, string $order): string
    {
        $action = ['suspend' => 'SuspendAccount', 'unsuspend' => 'UnsuspendAccount', 'terminate' => 'TerminateAccount'][$order];
        return self::guard($params, $action, function (array $params) use ($order, $action): string {
            [$server, , $serviceId, $api] = self::recorded($params, $action, $service);
            $api->post(
                self::servicePath($server, $serviceId, $order),
                null,
                self::idempotencyKey($serviceId, $order, (string) $service['updated_at']),
            );
            return 'success';
        });
    }

    /** ChangePassword: the password WHMCS holds for the service (the admin's or the client's new one). */
    public static function changePassword(array $params): string
    {
        return self::guard($params, 'ChangePassword', function (array $params): string {
            $password = (string) ($params['password'] ?? '');
            if ($password === '') {
                throw new ProvisionSettingError('The service has no password to set');
            }
            [$server, , $serviceId, $api] = self::recorded($params, 'ChangePassword', $service);
            // The digest of the new password is in the key, so a second change (to
            // another password) is a new order, not a replay of the first.
            $api->post(
                self::servicePath($server, $serviceId, 'password'),
                ['password' => $password],
                self::idempotencyKey($serviceId, 'password', (string) $service['updated_at'], hash('sha256', $password)),
            );
            return 'success';
        });
    }

    /** ChangePackage: the service to the product its (new) WHMCS product names. */
    public static function changePackage(array $params): string
    {
        return self::guard($params, 'ChangePackage', function (array $params): string {
            [$server, $product, $serviceId, $api] = self::recorded($params, 'ChangePackage', $service);
            $api->post(
                self::servicePath($server, $serviceId, 'change-plan'),
                ['product' => $product],
                self::idempotencyKey($serviceId, 'change-plan', (string) $service['updated_at'], $product),
            );
            return 'success';
        });
    }

    /** The MinIO buttons: `usage` (update policy), `standard`, `limited`. */
    public static function policy(array $params, string $decision): string
    {
        return self::guard($params, 'Policy ' . $decision, function (array $params) use ($decision): string {
            [$server, , $serviceId, $api] = self::recorded($params, 'Policy ' . $decision, $service);
            $api->post(
                self::servicePath($server, $serviceId, 'policy'),
                ['decision' => $decision],
                self::idempotencyKey($serviceId, 'policy', (string) $service['updated_at'], $decision),
            );
            return 'success';
        });
    }

    /**
     * Whether the MinIO buttons belong on this service's page: hidden only when the
     * product's server is known to be another backend (without parameters, or when
     * provision serve cannot be asked, they show, and a press answers with the reason).
     */
    public static function offersPolicyButtons(array $params): bool
    {
        $server = trim((string) ($params[self::OPTION_SERVER] ?? ''));
        if ($server === '' || !isset($params['serveraccesshash'])) {
            return true;
        }
        try {
            foreach (self::client($params, 'AdminCustomButtonArray')->get('/v1/servers')['servers'] ?? [] as $entry) {
                if (($entry['name'] ?? null) === $server) {
                    return ($entry['backend'] ?? null) === 'minio';
                }
            }
        } catch (ProvisionApiError) {
            return true;
        }
        return true;
    }

    // ---- the server ------------------------------------------------------------------

    /**
     * TestConnection: the service answers, the token may do what the module does
     * (admin scope: the daily hook reads the outbox, the pages need links), and every
     * configured storage server passes its check.
     *
     * @return array{success: bool, error: string}
     */
    public static function testConnection(array $params): array
    {
        try {
            $api = self::client($params, 'TestConnection');
            $api->get('/v1/actions', ['limit' => 1]);
            $failed = [];
            $servers = $api->get('/v1/servers')['servers'] ?? [];
            foreach ($servers as $entry) {
                $name = (string) $entry['name'];
                $check = $api->get('/v1/servers/' . ProvisionApiClient::segment($name) . '/check');
                if (!($check['ok'] ?? false)) {
                    $failed[] = $name . ': ' . (string) ($check['error']['message'] ?? 'not an administrator');
                }
            }
            if ($servers === []) {
                return ['success' => false, 'error' => 'provision serve has no servers in its configuration'];
            }
            if ($failed !== []) {
                return ['success' => false, 'error' => 'Storage servers failed their check: ' . implode('; ', $failed)];
            }
            return ['success' => true, 'error' => ''];
        } catch (ProvisionApiError $e) {
            $message = $e->kind === 'forbidden'
                ? 'The token may not read the outbox: make one with `provision serve token --scope admin`'
                : $e->getMessage();
            return ['success' => false, 'error' => $message];
        }
    }

    /**
     * UsageUpdate (daily, per WHMCS server): a sweep of each storage server its
     * services use — usage into the ledger's history, and the mails owed into the
     * outbox — then each account's usage and limit into tblhosting, in MB.
     */
    public static function usageUpdate(array $params): string
    {
        try {
            $serverId = (int) ($params['serverid'] ?? 0);
            $services = Capsule::table('tblhosting')
                ->where('server', $serverId)
                ->whereIn('domainstatus', ['Active', 'Suspended'])
                ->get();
            $byAccount = [];
            $packages = [];
            foreach ($services as $service) {
                $packages[(int) $service->packageid] = true;
            }
            $storageServer = [];
            if ($packages !== []) {
                foreach (Capsule::table('tblproducts')->whereIn('id', array_keys($packages))->get() as $product) {
                    $storageServer[(int) $product->id] = trim((string) $product->configoption1);
                }
            }
            foreach ($services as $service) {
                $name = $storageServer[(int) $service->packageid] ?? '';
                if ($name !== '' && (string) $service->username !== '') {
                    $byAccount[$name][(string) $service->username][] = (int) $service->id;
                }
            }
            $api = self::client($params, 'UsageUpdate');
            $problems = [];
            foreach ($byAccount as $name => $accounts) {
                $status = self::awaitSweep($api, self::startSweep($api, $name));
                foreach ($status['results'] ?? [] as $result) {
                    if (!($result['ok'] ?? false)) {
                        $problems[] = $name . ': ' . (string) ($result['error']['message'] ?? 'the sweep failed');
                    }
                    foreach ($result['failures'] ?? [] as $failure) {
                        $problems[] = $name . '/' . $failure['username'] . ': ' . (string) ($failure['error']['message'] ?? 'unreadable');
                    }
                    foreach ($result['accounts'] ?? [] as $account) {
                        foreach ($accounts[(string) $account['username']] ?? [] as $hostingId) {
                            self::recordUsage($hostingId, $account);
                        }
                    }
                }
            }
            return $problems === [] ? 'success' : 'Usage not read for ' . implode('; ', $problems);
        } catch (ProvisionApiError $e) {
            return $e->getMessage();
        }
    }

    /** Starts a sweep of one storage server, waiting while another one runs (409). */
    private static function startSweep(ProvisionApiClient $api, string $server): string
    {
        $deadline = time() + self::SWEEP_WAIT_SECONDS;
        while (true) {
            try {
                return (string) $api->post('/v1/sweeps', ['server' => $server], null)['id'];
            } catch (ProvisionApiError $e) {
                if ($e->status !== 409 || time() >= $deadline) {
                    throw $e;
                }
                sleep(1);
            }
        }
    }

    private static function awaitSweep(ProvisionApiClient $api, string $id): array
    {
        $deadline = time() + self::SWEEP_WAIT_SECONDS;
        do {
            $status = $api->get('/v1/sweeps/' . ProvisionApiClient::segment($id));
            if (($status['status'] ?? '') !== 'running') {
                return $status;
            }
            usleep(200_000);
        } while (time() < $deadline);
        throw new ProvisionApiError("the sweep $id still runs after " . self::SWEEP_WAIT_SECONDS . ' s', 'timeout', 0);
    }

    private static function recordUsage(int $hostingId, array $account): void
    {
        $megabyte = 1024 * 1024;
        $update = ['lastupdate' => date('Y-m-d H:i:s')];
        if (isset($account['used_bytes'])) {
            $update['diskusage'] = intdiv((int) $account['used_bytes'] + $megabyte - 1, $megabyte);
        }
        // WHMCS reads a limit of 0 as unlimited, as the ledger's missing quota means.
        $update['disklimit'] = isset($account['quota_bytes']) ? intdiv((int) $account['quota_bytes'], $megabyte) : 0;
        Capsule::table('tblhosting')->where('id', $hostingId)->update($update);
    }

    // ---- the mails owed (the daily hook) ---------------------------------------------

    /**
     * Takes the pending actions of every `provision serve` the WHMCS servers of this
     * module name, sends each as the e-mail template its product names (a product
     * e-mail, merge fields from the action's values), and confirms the ones sent. An
     * action whose mail failed is not confirmed: it comes back when its lease ends.
     *
     * @param int $leaseSeconds how long the actions taken are held for this run
     * @return array{sent: int, confirmed: int, errors: list<string>}
     */
    public static function deliverActions(int $leaseSeconds = self::ACTION_LEASE_SECONDS): array
    {
        $report = ['sent' => 0, 'confirmed' => 0, 'errors' => []];
        $seen = [];
        $servers = Capsule::table('tblservers')->where('type', self::NAME)->where('disabled', 0)->get();
        foreach ($servers as $row) {
            try {
                $params = self::serverParams($row);
                $api = self::client($params, 'DailyCronJob');
                // One service answers once, however many WHMCS servers name it.
                $identity = $api->baseUrl() . "\0" . hash('sha256', implode("\0", $api->secretsToHide()));
                if (isset($seen[$identity])) {
                    continue;
                }
                $seen[$identity] = true;
                self::deliverFrom($api, $leaseSeconds, $report);
            } catch (ProvisionApiError $e) {
                $report['errors'][] = $row->name . ': ' . $e->getMessage();
            }
        }
        return $report;
    }

    private static function deliverFrom(ProvisionApiClient $api, int $leaseSeconds, array &$report): void
    {
        $actions = $api->get('/v1/actions', ['limit' => 100, 'lease_seconds' => $leaseSeconds]);
        $done = [];
        foreach ($actions['pending_actions'] ?? [] as $action) {
            $outcome = self::deliverOne($action);
            if ($outcome === true) {
                $done[] = (int) $action['id'];
                $report['sent']++;
            } elseif ($outcome === null) {
                // The product sends no mail of this kind: nothing is owed.
                $done[] = (int) $action['id'];
            } else {
                $report['errors'][] = $outcome;
            }
        }
        if ($done !== []) {
            $confirmed = $api->post('/v1/actions/confirm', ['ids' => $done], self::idempotencyKey('outbox', 'confirm', implode(',', $done)));
            $report['confirmed'] += (int) ($confirmed['confirmed'] ?? 0);
        }
    }

    /** @return true|null|string sent, nothing to send, or why it failed */
    private static function deliverOne(array $action): bool|null|string
    {
        $what = sprintf('action %d (%s of service %s)', $action['id'], $action['kind'], $action['service_id']);
        $hosting = Capsule::table('tblhosting')->where('id', (int) $action['service_id'])->first();
        if ($hosting === null) {
            return "$what: WHMCS has no such service";
        }
        $product = Capsule::table('tblproducts')->where('id', (int) $hosting->packageid)->first();
        if ($product === null || $product->servertype !== self::NAME || trim((string) $product->configoption1) !== $action['server']) {
            return "$what: its WHMCS product is not a provision product of server {$action['server']}";
        }
        $option = self::TEMPLATE_OF_KIND[$action['kind']] ?? null;
        $template = $option === null ? '' : trim((string) $product->{$option});
        if ($template === '') {
            return null;
        }
        // The values by the names the original modules' templates use
        // ({$disk_used_percentage}, {$disk_limit}, {$username}, ...), and the kind.
        $fields = ['action_kind' => (string) $action['kind'], 'username' => (string) $action['username']];
        foreach ($action['values'] ?? [] as $name => $value) {
            $fields[(string) $name] = (string) $value;
        }
        $sent = localAPI('SendEmail', [
            'messagename' => $template,
            'id' => (int) $action['service_id'],
            'customvars' => base64_encode(serialize($fields)),
        ]);
        if (($sent['result'] ?? '') !== 'success') {
            return "$what: the e-mail \"$template\" was not sent: " . (string) ($sent['message'] ?? 'no answer');
        }
        return true;
    }

    /** A tblservers row as the server fields WHMCS passes to module functions. */
    private static function serverParams(object $row): array
    {
        $params = [
            'serverhostname' => (string) $row->hostname,
            'serverip' => (string) $row->ipaddress,
            'serverport' => (string) $row->port,
            'serversecure' => (string) $row->secure,
            'serveraccesshash' => trim((string) $row->accesshash),
            'serverpassword' => '',
        ];
        if ($params['serveraccesshash'] === '' && (string) $row->password !== '') {
            $decrypted = localAPI('DecryptPassword', ['password2' => (string) $row->password]);
            $params['serverpassword'] = (string) ($decrypted['password'] ?? '');
        }
        return $params;
    }

    // ---- the pages -------------------------------------------------------------------

    /**
     * ClientArea: the service's client page from `provision serve`, in an iframe when
     * the product names an address browsers reach, else fetched here as a fragment
     * (with the password, which never travels in a URL).
     */
    public static function clientArea(array $params): array
    {
        $vars = ['frame_url' => null, 'fragment' => null, 'error' => null];
        try {
            [$server] = self::serverAndProduct($params);
            $api = self::client($params, 'ClientArea');
            $link = self::pageLink($api, $server, self::serviceId($params), 'client', self::language($params));
            $vars = array_merge($vars, self::embed($api, $params, $link, 'client'));
        } catch (ProvisionApiError | ProvisionSettingError $e) {
            $vars['error'] = $e->getMessage();
        }
        return [
            'tabOverviewReplacementTemplate' => 'templates/clientarea.tpl',
            'templateVariables' => $vars,
        ];
    }

    /** AdminServicesTabFields: the service's admin page, as one field of the service tab. */
    public static function adminTab(array $params): array
    {
        try {
            [$server] = self::serverAndProduct($params);
            $api = self::client($params, 'AdminServicesTabFields');
            $link = self::pageLink($api, $server, self::serviceId($params), 'admin', null);
            $page = self::embed($api, $params, $link, 'admin');
            $html = $page['frame_url'] !== null
                ? '<iframe src="' . htmlspecialchars($page['frame_url'], ENT_QUOTES) . '" style="width:100%;min-height:640px;border:0" referrerpolicy="no-referrer"></iframe>'
                : $page['fragment'];
        } catch (ProvisionApiError | ProvisionSettingError $e) {
            $html = '<div class="alert alert-warning">' . htmlspecialchars($e->getMessage(), ENT_QUOTES) . '</div>';
        }
        return ['provision' => $html];
    }

    /**
     * A signed link to one of the service's pages: `POST /v1/pages/links` with
     * `{server, service_id, role, language}`, answered by `{path, link, expires_at}`
     * (the pages of `provision serve`; an admin token).
     *
     * @return array{path: string, link: string}
     */
    public static function pageLink(ProvisionApiClient $api, string $server, string $serviceId, string $role, ?string $language): array
    {
        $body = ['server' => $server, 'service_id' => $serviceId, 'role' => $role];
        if ($language !== null) {
            $body['language'] = $language;
        }
        $answer = $api->post('/v1/pages/links', $body, null);
        return ['path' => (string) $answer['path'], 'link' => (string) $answer['link']];
    }

    /** @return array{frame_url: ?string, fragment: ?string} */
    private static function embed(ProvisionApiClient $api, array $params, array $link, string $role): array
    {
        $public = rtrim(trim((string) ($params[self::OPTION_PAGES_ADDRESS] ?? '')), '/');
        if ($public !== '') {
            return ['frame_url' => $public . $link['path'], 'fragment' => null];
        }
        if ($role !== 'client') {
            return ['frame_url' => null, 'fragment' => $api->getText($link['path'] . '&fragment=1')];
        }
        // The client page is POSTed: the password, where the product shows it, goes
        // in the form body, never in a URL.
        $form = ['link' => $link['link'], 'fragment' => '1'];
        if ((string) ($params['password'] ?? '') !== '') {
            $form['password'] = (string) $params['password'];
        }
        return ['frame_url' => null, 'fragment' => $api->postForm((string) parse_url($link['path'], PHP_URL_PATH), $form)];
    }

    /** The client's WHMCS language as a page language tag; null (English) when the pages lack it. */
    public static function language(array $params): ?string
    {
        $name = strtolower(trim((string) ($params['clientsdetails']['language'] ?? '')));
        return self::LANGUAGES[$name] ?? null;
    }

    // ---- shared ----------------------------------------------------------------------

    /**
     * The client for the server record in $params; every request and answer goes to
     * logModuleCall with the token, the server password and every password of the
     * exchange in its list of values to hide.
     */
    public static function client(#[\SensitiveParameter] array $params, string $action): ProvisionApiClient
    {
        $hide = [
            (string) ($params['serveraccesshash'] ?? ''),
            (string) ($params['serverpassword'] ?? ''),
            (string) ($params['password'] ?? ''),
        ];
        $logger = static function (string $call, array $request, array $response) use ($action, &$hide): void {
            foreach ([$request['body']['password'] ?? null, $response['body']['password'] ?? null] as $secret) {
                if (is_string($secret)) {
                    $hide[] = $secret;
                }
            }
            if (function_exists('logModuleCall')) {
                $encode = static fn ($value): string => (string) json_encode($value, JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT);
                logModuleCall(
                    self::NAME,
                    $action,
                    $call . "\n" . $encode($request),
                    $encode($response),
                    $response['body'] ?? null,
                    array_values(array_unique(array_filter($hide, static fn (string $s): bool => $s !== ''))),
                );
            }
        };
        return ProvisionApiClient::fromServerParams($params, $logger);
    }

    /**
     * A key that is the same for a retry of one order and new for the next order:
     * the service, the operation, and what makes this order this one (the ledger's
     * `updated_at` of the service, which every order changes; the new password's
     * digest; the target product).
     */
    public static function idempotencyKey(string $serviceId, string $operation, string ...$parts): string
    {
        $key = 'whmcs-' . preg_replace('/[^!-~]/', '_', $serviceId) . '-' . $operation;
        if ($parts !== []) {
            $key .= '-' . substr(hash('sha256', implode("\0", $parts)), 0, 32);
        }
        return $key;
    }

    /** @return array{0: string, 1: string} the server and product names of the WHMCS product */
    private static function serverAndProduct(array $params): array
    {
        $server = trim((string) ($params[self::OPTION_SERVER] ?? ''));
        $product = trim((string) ($params[self::OPTION_PRODUCT] ?? ''));
        if ($server === '') {
            throw new ProvisionSettingError('The product names no storage server (module setting "Storage server")');
        }
        if ($product === '') {
            throw new ProvisionSettingError('The product names no provision product (module setting "Product")');
        }
        return [$server, $product];
    }

    private static function serviceId(array $params): string
    {
        $id = trim((string) ($params['serviceid'] ?? ''));
        if ($id === '') {
            throw new ProvisionSettingError('WHMCS passed no service id (serviceid)');
        }
        return $id;
    }

    /**
     * The server, product, service id, client and the ledger's record of a service
     * that must exist (every order but create).
     *
     * @return array{0: string, 1: string, 2: string, 3: ProvisionApiClient}
     */
    private static function recorded(array $params, string $action, ?array &$service): array
    {
        [$server, $product] = self::serverAndProduct($params);
        $serviceId = self::serviceId($params);
        $api = self::client($params, $action);
        $service = $api->get(self::servicePath($server, $serviceId, null))['service'];
        return [$server, $product, $serviceId, $api];
    }

    private static function servicePath(string $server, string $serviceId, ?string $order): string
    {
        $path = '/v1/services/' . ProvisionApiClient::segment($server) . '/' . ProvisionApiClient::segment($serviceId);
        return $order === null ? $path : "$path/$order";
    }

    /** Runs an order; a failure becomes the message WHMCS shows. */
    private static function guard(array $params, string $action, callable $order): string
    {
        try {
            return $order($params);
        } catch (ProvisionApiError | ProvisionSettingError $e) {
            return $e->getMessage();
        }
    }
}
