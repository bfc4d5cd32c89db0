<?php
/**
 * What the module's functions do, on top of `provision serve`: each takes the
 * parameter array WHMCS passes and returns what WHMCS expects ("success" or an error
 * message, or the arrays of TestConnection, ClientArea and the tab fields).
 *
 * The ledger behind `provision serve` is the system of record: which account a WHMCS
 * service owns, its product (quota and unit, plan groups, notify-at share, history
 * days, password display, instructions link, name and password rules), its usage
 * history and the mails owed. A WHMCS product with "Disk size" set defines that
 * product itself (`PUT /v1/products/{name}` before each create and package change);
 * one without names a `[products.NAME]` of provision.toml. WHMCS keeps the account's
 * name and password as it does for every module.
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
    public const OPTION_DISK_SIZE = 'configoption7';
    public const OPTION_UNIT = 'configoption8';
    public const OPTION_NOTIFY_AT = 'configoption9';
    public const OPTION_GROUPS = 'configoption10';
    public const OPTION_HISTORY_DAYS = 'configoption11';
    public const OPTION_INSTRUCTIONS = 'configoption12';
    public const OPTION_PASSWORD_DISPLAY = 'configoption13';
    public const OPTION_NAME_RULE = 'configoption14';
    public const OPTION_PASSWORD_RULE = 'configoption15';
    public const OPTION_MINIO_DEFAULT_BUCKET = 'configoption16';
    public const OPTION_MINIO_STANDARD_POLICY = 'configoption17';
    public const OPTION_MINIO_LIMITED_POLICY = 'configoption18';

    /** The module setting (its label in provision_ConfigOptions) of each product field. */
    private const SETTING_OF_FIELD = [
        'quota' => 'Disk size',
        'unit' => 'Unit',
        'notify_at' => 'Notify at %',
        'groups' => 'Group or plan',
        'history_days' => 'History days',
        'instructions_url' => 'Instructions link',
        'password_display' => 'Password display',
        'name_rule' => 'User name rule',
        'password_rule' => 'Password rule',
        'minio.default_bucket' => 'MinIO: default bucket',
        'minio.standard_policy' => 'MinIO: standard policy',
        'minio.limited_policy' => 'MinIO: limited policy',
    ];

    /** What an empty rule setting means (the defaults provision_ConfigOptions shows). */
    private const DEFAULT_NAME_RULE = 'c{client_id}s{service_id}';
    private const DEFAULT_PASSWORD_RULE = '16';

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
    /** Actions taken per request of the daily hook. */
    private const ACTION_BATCH = 100;
    /** Batches one run of the hook takes at the most; the rest wait for the next run. */
    private const MAX_BATCHES_PER_RUN = 100;

    // ---- the orders ------------------------------------------------------------------

    /** CreateAccount: the account, or the one an earlier attempt made; its name and password into WHMCS. */
    public static function create(array $params): string
    {
        return self::guard($params, 'CreateAccount', function (array $params): string {
            [$server, $product] = self::serverAndProduct($params);
            $serviceId = self::serviceId($params);
            $settings = self::productSettings($params);
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
            $api = self::client($params, 'CreateAccount');
            if ($settings !== null) {
                self::defineProduct($api, $product, $settings);
            }
            $created = $api
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

    /**
     * ChangePackage: the service to the product its (new) WHMCS product names, or
     * defines. The product's settings are in the key: after an edit of the WHMCS
     * product, the same package again is a new order that applies them, not a replay.
     */
    public static function changePackage(array $params): string
    {
        return self::guard($params, 'ChangePackage', function (array $params): string {
            $settings = self::productSettings($params);
            [$server, $product, $serviceId, $api] = self::recorded($params, 'ChangePackage', $service);
            if ($settings !== null) {
                self::defineProduct($api, $product, $settings);
            }
            $api->post(
                self::servicePath($server, $serviceId, 'change-plan'),
                ['product' => $product],
                self::idempotencyKey(
                    $serviceId,
                    'change-plan',
                    (string) $service['updated_at'],
                    $product,
                    hash('sha256', (string) json_encode($settings, JSON_UNESCAPED_SLASHES)),
                ),
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
    public static function deliverActions(int $leaseSeconds = self::ACTION_LEASE_SECONDS, int $batch = self::ACTION_BATCH): array
    {
        $report = ['sent' => 0, 'confirmed' => 0, 'errors' => []];
        $batch = max(1, $batch);
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
                // Batch after batch until one comes back short: the actions taken are
                // leased, so those not confirmed (their mail failed) are not taken again.
                for ($i = 0; $i < self::MAX_BATCHES_PER_RUN; $i++) {
                    if (self::deliverFrom($api, $leaseSeconds, $batch, $report) < $batch) {
                        break;
                    }
                }
            } catch (ProvisionApiError $e) {
                $report['errors'][] = $row->name . ': ' . $e->getMessage();
            }
        }
        return $report;
    }

    /** Takes one batch of actions, mails them, confirms those done; returns how many it took. */
    private static function deliverFrom(ProvisionApiClient $api, int $leaseSeconds, int $batch, array &$report): int
    {
        $actions = $api->get('/v1/actions', ['limit' => $batch, 'lease_seconds' => $leaseSeconds])['pending_actions'] ?? [];
        $done = [];
        foreach ($actions as $action) {
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
        return count($actions);
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
            // Shown in the overview, below WHMCS's own billing details of the service.
            'tabOverviewModuleOutputTemplate' => 'templates/clientarea.tpl',
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
        // WHMCS hides a value where it finds it as given; in the JSON text a value with
        // quotes, backslashes or non-ASCII letters stands escaped.
        $masks = [];
        foreach ($hide as $secret) {
            if ($secret !== '') {
                $masks[] = $secret;
                $masks[] = substr((string) json_encode($secret, JSON_UNESCAPED_SLASHES), 1, -1);
            }
        }
        $masks = array_values(array_unique($masks));
        $logger = static function (string $call, array $request, array $response) use ($action, $masks): void {
            if (!function_exists('logModuleCall')) {
                return;
            }
            $flags = JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT;
            $request = self::redacted($request);
            $response = self::redacted($response);
            logModuleCall(
                self::NAME,
                $action,
                $call . "\n" . (string) json_encode($request, $flags),
                (string) json_encode($response, $flags),
                $response['body'] ?? null,
                $masks,
            );
        };
        return ProvisionApiClient::fromServerParams($params, $logger);
    }

    /** The fields of an exchange that are secrets: passwords, and the signed page links. */
    private const SECRET_FIELDS = ['password', 'link', 'path'];

    /** $value with every secret field's text replaced, at any depth, before it is logged. */
    private static function redacted(mixed $value): mixed
    {
        if (!is_array($value)) {
            return $value;
        }
        foreach ($value as $key => $inner) {
            $value[$key] = is_string($inner) && in_array($key, self::SECRET_FIELDS, true)
                ? '(hidden)'
                : self::redacted($inner);
        }
        return $value;
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

    /**
     * The server and product names of the WHMCS product. A product that defines its
     * settings ("Disk size" set) and names none is kept as `whmcs-PRODUCTID`.
     *
     * @return array{0: string, 1: string}
     */
    private static function serverAndProduct(array $params): array
    {
        $server = trim((string) ($params[self::OPTION_SERVER] ?? ''));
        $product = trim((string) ($params[self::OPTION_PRODUCT] ?? ''));
        if ($server === '') {
            throw new ProvisionSettingError('The product names no storage server (module setting "Storage server")');
        }
        if ($product === '' && self::definesProduct($params)) {
            $pid = trim((string) ($params['pid'] ?? $params['packageid'] ?? ''));
            if (!ctype_digit($pid)) {
                throw new ProvisionSettingError('WHMCS passed no product id (pid): name the product (module setting "Product")');
            }
            $product = 'whmcs-' . $pid;
        }
        if ($product === '') {
            throw new ProvisionSettingError('The product names no provision product (module setting "Product") and sets no "Disk size"');
        }
        return [$server, $product];
    }

    private static function definesProduct(array $params): bool
    {
        return trim((string) ($params[self::OPTION_DISK_SIZE] ?? '')) !== '';
    }

    /**
     * The provision product the WHMCS product's settings define (the fields of a
     * `[products.NAME]`), or null when "Disk size" is empty and "Product" names one of
     * provision.toml. What must be a whole number is checked here; everything else by
     * `provision serve`, before anything is kept.
     */
    public static function productSettings(array $params): ?array
    {
        if (!self::definesProduct($params)) {
            return null;
        }
        $text = static fn (string $option): string => trim((string) ($params[$option] ?? ''));
        $whole = static function (string $option, string $label) use ($text): ?int {
            $value = $text($option);
            if ($value === '') {
                return null;
            }
            if (!ctype_digit($value)) {
                throw new ProvisionSettingError(sprintf('"%s" is not a whole number (module setting "%s")', $value, $label));
            }
            return (int) $value;
        };
        $size = $text(self::OPTION_DISK_SIZE);
        if (!is_numeric($size) || (float) $size < 0) {
            throw new ProvisionSettingError(sprintf('"%s" is not a size (module setting "Disk size": a number, 0 for unlimited)', $size));
        }
        $settings = [
            'name_rule' => $text(self::OPTION_NAME_RULE) !== '' ? $text(self::OPTION_NAME_RULE) : self::DEFAULT_NAME_RULE,
            'password_rule' => $text(self::OPTION_PASSWORD_RULE) !== '' ? $text(self::OPTION_PASSWORD_RULE) : self::DEFAULT_PASSWORD_RULE,
            // A whole number goes as a number (in the unit); a fraction as text.
            'quota' => ctype_digit($size) ? (int) $size : $size,
            'unit' => $text(self::OPTION_UNIT) !== '' ? $text(self::OPTION_UNIT) : 'GB',
            'notify_at' => $whole(self::OPTION_NOTIFY_AT, self::SETTING_OF_FIELD['notify_at']) ?? 0,
        ];
        $groups = array_values(array_filter(array_map('trim', explode(',', $text(self::OPTION_GROUPS))), static fn (string $g): bool => $g !== ''));
        if ($groups !== []) {
            $settings['groups'] = $groups;
        }
        $days = $whole(self::OPTION_HISTORY_DAYS, self::SETTING_OF_FIELD['history_days']);
        if ($days !== null) {
            $settings['history_days'] = $days;
        }
        foreach ([self::OPTION_INSTRUCTIONS => 'instructions_url', self::OPTION_PASSWORD_DISPLAY => 'password_display'] as $option => $field) {
            if ($text($option) !== '') {
                $settings[$field] = $text($option);
            }
        }
        $minio = [];
        $bucket = $text(self::OPTION_MINIO_DEFAULT_BUCKET);
        if ($bucket === 'yes' || $bucket === 'no') {
            $minio['default_bucket'] = $bucket === 'yes';
        } elseif ($bucket !== '' && $bucket !== 'server setting') {
            throw new ProvisionSettingError(sprintf('"%s" is not one of server setting, yes, no (module setting "MinIO: default bucket")', $bucket));
        }
        foreach ([self::OPTION_MINIO_STANDARD_POLICY => 'standard_policy', self::OPTION_MINIO_LIMITED_POLICY => 'limited_policy'] as $option => $field) {
            if ($text($option) !== '') {
                $minio[$field] = $text($option);
            }
        }
        if ($minio !== []) {
            $settings['minio'] = $minio;
        }
        return $settings;
    }

    /**
     * `PUT /v1/products/{name}`: defines or replaces the product. A setting provision
     * refuses comes back with the module setting's name; a name provision.toml has is
     * refused, since that file's products are the operator's.
     */
    private static function defineProduct(ProvisionApiClient $api, string $name, array $settings): void
    {
        try {
            $api->put('/v1/products/' . ProvisionApiClient::segment($name), $settings);
        } catch (ProvisionApiError $e) {
            if ($e->status === 409) {
                throw new ProvisionSettingError(sprintf(
                    '%s: provision.toml has a product "%s"; empty "Disk size" to sell it, or name another in "Product"',
                    $e->getMessage(),
                    $name,
                ));
            }
            $prefix = 'products.' . $name . '.';
            $message = $e->getMessage();
            foreach (self::SETTING_OF_FIELD as $field => $label) {
                if (str_contains($message, $prefix . $field)) {
                    throw new ProvisionSettingError(sprintf('%s (module setting "%s")', $message, $label));
                }
            }
            throw $e;
        }
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
