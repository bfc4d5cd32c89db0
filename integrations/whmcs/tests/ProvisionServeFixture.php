<?php
/**
 * Starts `provision mock nextcloud|synology|minio` as processes, writes a
 * provision.toml for them (servers `cloud`, `nas`, `s3`; products `small`, `large`,
 * and DSM's `nas-small`, `nas-large` with their plan groups; the pages, with a key file
 * and WHMCS as the one frame ancestor), mints tokens, and runs `provision serve` on a
 * free loopback port with a throwaway ledger. stop() ends them all with SIGTERM.
 *
 * The binary: PROVISION_BIN, else target/debug/provision of the workspace.
 */

declare(strict_types=1);

use WHMCS\Database\Capsule;

final class ProvisionServeFixture
{
    /** The WHMCS-side name of each backend's storage server in provision.toml. */
    public const SERVERS = ['nextcloud' => 'cloud', 'synology' => 'nas', 'minio' => 's3'];
    /** The origin the pages may be framed by (`[pages] frame_ancestors`). */
    public const WHMCS_ORIGIN = 'https://billing.example.com';

    public string $url;
    public string $adminToken;
    public string $provisionToken;
    /** @var array<string, array> the ready line of each mock, by backend */
    public array $mocks = [];

    private string $dir;
    /** @var list<resource> */
    private array $processes = [];

    public static function binary(): string
    {
        $bin = getenv('PROVISION_BIN');
        if ($bin !== false && $bin !== '') {
            return $bin;
        }
        return dirname(__DIR__, 3) . '/target/debug/provision';
    }

    public function start(): void
    {
        $bin = self::binary();
        if (!is_executable($bin)) {
            throw new RuntimeException("no provision binary at $bin (build it, or set PROVISION_BIN)");
        }
        $this->dir = sys_get_temp_dir() . '/provision-whmcs-' . bin2hex(random_bytes(6));
        mkdir($this->dir, 0700, true);
        foreach (array_keys(self::SERVERS) as $backend) {
            $this->mocks[$backend] = $this->startMock($bin, $backend);
        }
        file_put_contents("{$this->dir}/pages-key", bin2hex(random_bytes(32)));
        file_put_contents("{$this->dir}/provision.toml", $this->config());
        $this->adminToken = $this->mintToken($bin, 'admin', 'whmcs');
        $this->provisionToken = $this->mintToken($bin, 'provision', 'orders-only');
        $port = self::freePort();
        $this->spawn([
            $bin, '--config', "{$this->dir}/provision.toml", '--ledger', "{$this->dir}/ledger.sqlite",
            'serve', '--listen', "127.0.0.1:$port", '--tokens', "{$this->dir}/tokens",
        ], "{$this->dir}/serve.log");
        $this->url = "http://127.0.0.1:$port";
        $this->awaitHealth();
    }

    public function stop(): void
    {
        foreach (array_reverse($this->processes) as $process) {
            proc_terminate($process, 15);
            proc_close($process);
        }
        $this->processes = [];
    }

    /** The WHMCS server fields for this service (as WHMCS passes them to module functions). */
    public function serverParams(?string $token = null): array
    {
        $address = parse_url($this->url);
        return [
            'server' => true,
            'serverid' => 1,
            'serverip' => $address['host'],
            'serverhostname' => $address['host'],
            'serverport' => (string) $address['port'],
            'serversecure' => '',
            'serverusername' => '',
            'serverpassword' => '',
            'serveraccesshash' => $token ?? $this->adminToken,
        ];
    }

    /** WHMCS's server record (tblservers, id 1) for this service, with the admin token. */
    public function addServerRecord(): void
    {
        Capsule::insert('tblservers', [
            'id' => 1, 'name' => 'provision', 'type' => 'provision', 'disabled' => 0,
            'hostname' => '127.0.0.1', 'ipaddress' => '127.0.0.1',
            'port' => parse_url($this->url, PHP_URL_PORT), 'secure' => '',
            'accesshash' => $this->adminToken, 'password' => '',
        ]);
    }

    /**
     * A new WHMCS service (tblhosting) of product $pid on server record 1, for client 42
     * (German), and the parameters WHMCS passes to the module functions for it.
     */
    public function newService(int $serviceId, int $pid): array
    {
        Capsule::insert('tblhosting', [
            'id' => $serviceId, 'userid' => 42, 'packageid' => $pid, 'server' => 1,
            'domain' => '', 'username' => 'whmcsuser', 'password' => 'whmcs-made',
            'domainstatus' => 'Active', 'diskusage' => 0, 'disklimit' => 0, 'lastupdate' => '',
        ]);
        $product = Capsule::table('tblproducts')->where('id', $pid)->first();
        $params = [
            'accountid' => $serviceId,
            'serviceid' => (string) $serviceId,
            'userid' => 42,
            'pid' => $pid,
            'domain' => '',
            'username' => 'whmcsuser',
            'password' => 'whmcs-made',
            'producttype' => 'other',
            'moduletype' => 'provision',
            'clientsdetails' => [
                'userid' => 42, 'id' => 42, 'firstname' => 'Alice', 'lastname' => 'Example',
                'companyname' => '', 'email' => 'alice@example.com', 'language' => 'german',
            ],
            'customfields' => [],
            'configoptions' => [],
        ];
        for ($i = 1; $i <= 24; $i++) {
            $params["configoption$i"] = (string) ($product->{"configoption$i"} ?? '');
        }
        return array_merge($params, $this->serverParams());
    }

    /** The mock's state (its seed format), from its control API. */
    public function mockState(string $backend): array
    {
        return $this->control($backend, 'GET', '/state');
    }

    /** A call to a mock's control API. */
    public function control(string $backend, string $method, string $path, ?array $body = null): array
    {
        $handle = curl_init($this->mocks[$backend]['control_url'] . $path);
        curl_setopt_array($handle, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_HTTPHEADER => ['Content-Type: application/json'],
            CURLOPT_TIMEOUT => 10,
        ]);
        if ($body !== null) {
            curl_setopt($handle, CURLOPT_POSTFIELDS, json_encode($body));
        }
        $text = (string) curl_exec($handle);
        $status = (int) curl_getinfo($handle, CURLINFO_RESPONSE_CODE);
        curl_close($handle);
        if ($status >= 400) {
            throw new RuntimeException("control $method $path: HTTP $status: $text");
        }
        return $text === '' ? [] : (array) json_decode($text, true, 64, JSON_THROW_ON_ERROR);
    }

    /**
     * A GET of a page as a customer's browser makes it: no token.
     *
     * @return array{status: int, body: string, headers: array<string, string>}
     */
    public function browse(string $url): array
    {
        $headers = [];
        $handle = curl_init($url);
        curl_setopt_array($handle, [
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_TIMEOUT => 30,
            CURLOPT_HEADERFUNCTION => static function ($handle, string $line) use (&$headers): int {
                $parts = explode(':', $line, 2);
                if (count($parts) === 2) {
                    $headers[strtolower(trim($parts[0]))] = trim($parts[1]);
                }
                return strlen($line);
            },
        ]);
        $body = (string) curl_exec($handle);
        $status = (int) curl_getinfo($handle, CURLINFO_RESPONSE_CODE);
        curl_close($handle);
        return ['status' => $status, 'body' => $body, 'headers' => $headers];
    }

    /** A read of provision serve with the admin token. */
    public function api(string $path): array
    {
        $handle = curl_init($this->url . $path);
        curl_setopt_array($handle, [
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_HTTPHEADER => ['Authorization: Bearer ' . $this->adminToken],
            CURLOPT_TIMEOUT => 30,
        ]);
        $text = (string) curl_exec($handle);
        curl_close($handle);
        return (array) json_decode($text, true, 64, JSON_THROW_ON_ERROR);
    }

    private function startMock(string $bin, string $backend): array
    {
        $pipes = [];
        $command = [$bin, 'mock', $backend];
        if ($backend === 'synology') {
            // DSM enforces a quota through a group: the plans' groups.
            file_put_contents("{$this->dir}/dsm-seed.json", json_encode(['groups' => [
                ['name' => 'plan-1g', 'homes_quota_bytes' => 1 << 30],
                ['name' => 'plan-2g', 'homes_quota_bytes' => 2 << 30],
            ]]));
            array_push($command, '--seed', "{$this->dir}/dsm-seed.json");
        }
        $process = proc_open($command, [1 => ['pipe', 'w'], 2 => ['file', "{$this->dir}/$backend.log", 'w']], $pipes);
        if (!is_resource($process)) {
            throw new RuntimeException("provision mock $backend did not start");
        }
        $this->processes[] = $process;
        $line = fgets($pipes[1]);
        if ($line === false) {
            throw new RuntimeException("provision mock $backend ended before its ready line: " . @file_get_contents("{$this->dir}/$backend.log"));
        }
        $ready = json_decode($line, true, 64, JSON_THROW_ON_ERROR);
        file_put_contents("{$this->dir}/$backend.secret", $ready['password']);
        return $ready;
    }

    private function config(): string
    {
        $servers = '';
        foreach (self::SERVERS as $backend => $name) {
            $ready = $this->mocks[$backend];
            $servers .= sprintf(
                "[servers.%s]\nbackend = \"%s\"\nurl = \"%s\"\nuser = \"%s\"\npassword = { file = \"%s\" }\n\n",
                $name, $backend, $ready['url'], $ready['user'], "{$this->dir}/$backend.secret",
            );
        }
        // The same plans twice: for any backend, and for DSM with the group that
        // carries the quota there.
        $products = '';
        foreach (['small' => ['1 GB', 'plan-1g'], 'large' => ['2 GB', 'plan-2g']] as $name => [$quota, $group]) {
            foreach (["$name" => '', "nas-$name" => "groups = [\"$group\"]\n"] as $product => $groups) {
                $products .= "[products.$product]\nname_rule = \"c{client_id}s{service_id}\"\n"
                    . "password_rule = 16\nquota = \"$quota\"\nnotify_at = 80\n$groups\n";
            }
        }
        $pages = sprintf(
            "[pages]\nkey = { file = \"%s\" }\nframe_ancestors = [\"%s\"]\n\n",
            "{$this->dir}/pages-key", self::WHMCS_ORIGIN,
        );
        return $servers . $pages . $products;
    }

    private function mintToken(string $bin, string $scope, string $name): string
    {
        $output = [];
        exec(implode(' ', array_map('escapeshellarg', [$bin, '--output', 'json', 'serve', 'token', '--scope', $scope, '--name', $name])), $output, $status);
        if ($status !== 0) {
            throw new RuntimeException("provision serve token failed with $status");
        }
        $minted = json_decode(implode("\n", $output), true, 64, JSON_THROW_ON_ERROR);
        file_put_contents("{$this->dir}/tokens", $minted['line'] . "\n", FILE_APPEND);
        return $minted['token'];
    }

    private function spawn(array $command, string $log): void
    {
        $pipes = [];
        $process = proc_open($command, [1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes);
        if (!is_resource($process)) {
            throw new RuntimeException('provision serve did not start');
        }
        $this->processes[] = $process;
    }

    private function awaitHealth(): void
    {
        for ($i = 0; $i < 200; $i++) {
            $handle = curl_init($this->url . '/healthz');
            curl_setopt_array($handle, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 1]);
            $ok = curl_exec($handle) !== false && curl_getinfo($handle, CURLINFO_RESPONSE_CODE) === 200;
            curl_close($handle);
            if ($ok) {
                return;
            }
            usleep(100_000);
        }
        throw new RuntimeException('provision serve did not answer /healthz: ' . @file_get_contents("{$this->dir}/serve.log"));
    }

    private static function freePort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        $name = stream_socket_get_name($socket, false);
        fclose($socket);
        return (int) substr($name, strrpos($name, ':') + 1);
    }
}
