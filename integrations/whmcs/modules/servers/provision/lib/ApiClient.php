<?php
/**
 * The HTTP client of `provision serve` (its OpenAPI document: provision-cli/openapi.json).
 *
 * Plain PHP 8.2 with the curl and json extensions. The address comes from the WHMCS
 * server record, the bearer token from its access hash (or its password). Errors are
 * the service's RFC 9457 problems, thrown as ProvisionApiError with the message WHMCS
 * shows. The token never leaves this object: it is in no log, no message, no URL.
 */

declare(strict_types=1);

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** A request to `provision serve` failed; the message is fit for WHMCS to show. */
final class ProvisionApiError extends RuntimeException
{
    /**
     * @param string $kind the problem's stable kind (`not_found`, `transient`, ...), or
     *                     `connection` when no answer came, `answer` when it could not be read
     * @param int    $status the HTTP status (0 when no answer came)
     */
    public function __construct(
        string $message,
        public readonly string $kind,
        public readonly int $status,
        public readonly ?string $serverCode = null,
        public readonly ?string $serverMessage = null,
    ) {
        parent::__construct($message);
    }

    /** Builds the error from a problem document (or whatever a failed answer held). */
    public static function fromAnswer(int $status, ?array $problem): self
    {
        if ($problem === null || !isset($problem['kind'])) {
            return new self("provision serve answered HTTP $status without a problem document", 'answer', $status);
        }
        $detail = (string) ($problem['detail'] ?? $problem['title'] ?? 'failed');
        $message = "provision serve: $detail";
        $serverCode = isset($problem['server_code']) ? (string) $problem['server_code'] : null;
        $serverMessage = isset($problem['server_message']) ? (string) $problem['server_message'] : null;
        if ($serverMessage !== null && !str_contains($detail, $serverMessage)) {
            $message .= " (server: $serverMessage" . ($serverCode !== null ? ", code $serverCode" : '') . ')';
        }
        if (isset($problem['retry_after'])) {
            $message .= ' — try again in ' . (int) $problem['retry_after'] . ' s';
        }
        return new self($message, (string) $problem['kind'], $status, $serverCode, $serverMessage);
    }
}

/** One `provision serve` as a WHMCS server record names it. */
final class ProvisionApiClient
{
    /** The port of `provision serve` when the server record names none: plain HTTP. */
    public const DEFAULT_PORT = 8080;
    /** The same, over TLS. */
    public const DEFAULT_SECURE_PORT = 8443;

    /** @var callable(string $action, array $request, mixed $response): void|null */
    private $logger;

    /**
     * @param string $baseUrl e.g. `https://provision.example.com:8443`
     * @param string $token   a token from `provision serve token` (scope admin)
     * @param int    $timeout seconds for one request
     * @param callable|null $logger called with each request (without the token) and its answer
     */
    public function __construct(
        private readonly string $baseUrl,
        #[\SensitiveParameter] private readonly string $token,
        private readonly int $timeout = 60,
        ?callable $logger = null,
    ) {
        $this->logger = $logger;
    }

    /**
     * Builds the client from the server fields WHMCS passes to every module function
     * (`serverhostname`, `serverip`, `serverport`, `serversecure`, `serveraccesshash`,
     * `serverpassword`).
     *
     * @throws ProvisionApiError when the record names no address or no token
     */
    public static function fromServerParams(#[\SensitiveParameter] array $params, ?callable $logger = null): self
    {
        $host = trim((string) ($params['serverhostname'] ?? ''));
        if ($host === '') {
            $host = trim((string) ($params['serverip'] ?? ''));
        }
        if ($host === '') {
            throw new ProvisionApiError('The server has neither a hostname nor an IP address', 'configuration', 0);
        }
        if (str_contains($host, '://')) {
            // An address typed as a URL: its host (and port, when the record has none).
            $parts = parse_url($host);
            if ($parts === false || !isset($parts['host'])) {
                throw new ProvisionApiError("The server's hostname is not a host name: $host", 'configuration', 0);
            }
            $params['serversecure'] = ($params['serversecure'] ?? '') !== '' ? $params['serversecure'] : ($parts['scheme'] === 'https');
            // A URL without a port is its scheme's port (a TLS proxy on 443).
            $schemePort = ($parts['scheme'] ?? '') === 'https' ? 443 : 80;
            $params['serverport'] = ($params['serverport'] ?? '') !== '' ? $params['serverport'] : ($parts['port'] ?? $schemePort);
            $host = $parts['host'];
        }
        if (str_contains($host, ':') && !str_starts_with($host, '[')) {
            $host = "[$host]"; // an IPv6 address
        }
        $secure = self::truthy($params['serversecure'] ?? false);
        $port = (int) ($params['serverport'] ?? 0);
        if ($port <= 0) {
            // No port override on the server record: the module's defaults (MetaData).
            $port = $secure ? self::DEFAULT_SECURE_PORT : self::DEFAULT_PORT;
        }
        $url = ($secure ? 'https' : 'http') . '://' . $host . ":$port";
        $token = trim((string) ($params['serveraccesshash'] ?? ''));
        if ($token === '') {
            $token = trim((string) ($params['serverpassword'] ?? ''));
        }
        if ($token === '') {
            throw new ProvisionApiError(
                'The server has no token: put a `provision serve token` in its access hash',
                'configuration',
                0,
            );
        }
        return new self($url, $token, 60, $logger);
    }

    /** WHMCS passes the secure flag as a boolean, "on", "1" or an empty string. */
    private static function truthy(mixed $value): bool
    {
        if (is_bool($value)) {
            return $value;
        }
        return in_array(strtolower(trim((string) $value)), ['1', 'on', 'yes', 'true'], true);
    }

    /** The service's address (no token in it). */
    public function baseUrl(): string
    {
        return $this->baseUrl;
    }

    /** The token, for the module's list of values `logModuleCall` must hide. */
    public function secretsToHide(): array
    {
        return [$this->token];
    }

    /** GET a JSON document. */
    public function get(string $path, array $query = []): array
    {
        if ($query !== []) {
            $path .= '?' . http_build_query($query);
        }
        return $this->json('GET', $path, null, null);
    }

    /** POST a JSON body with an `Idempotency-Key`. */
    public function post(string $path, ?array $body, ?string $idempotencyKey): array
    {
        return $this->json('POST', $path, $body, $idempotencyKey);
    }

    /** PUT a JSON document (PUT is idempotent: no key). */
    public function put(string $path, array $body): array
    {
        return $this->json('PUT', $path, $body, null);
    }

    /**
     * POST a form and return the answer's text (the pages' HTML fragments).
     *
     * @param array<string,string> $form
     */
    public function postForm(string $path, #[\SensitiveParameter] array $form): string
    {
        [$status, , $text] = $this->send('POST', $path, http_build_query($form), [
            'Content-Type: application/x-www-form-urlencoded',
            'Accept: text/html',
        ]);
        if ($status >= 400) {
            throw ProvisionApiError::fromAnswer($status, self::decode($text));
        }
        return $text;
    }

    /** GET a page (HTML) by its path and query, as `provision serve` handed it out. */
    public function getText(string $pathAndQuery): string
    {
        [$status, , $text] = $this->send('GET', $pathAndQuery, null, ['Accept: text/html']);
        if ($status >= 400) {
            throw ProvisionApiError::fromAnswer($status, self::decode($text));
        }
        return $text;
    }

    /** Percent-encodes one path segment. */
    public static function segment(string $part): string
    {
        return rawurlencode($part);
    }

    private function json(string $method, string $path, ?array $body, ?string $idempotencyKey): array
    {
        $headers = ['Accept: application/json'];
        $payload = null;
        if ($body !== null) {
            $payload = json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
            $headers[] = 'Content-Type: application/json';
        }
        if ($idempotencyKey !== null) {
            $headers[] = 'Idempotency-Key: ' . $idempotencyKey;
        }
        [$status, $replayed, $text] = $this->send($method, $path, $payload, $headers);
        $document = self::decode($text);
        if ($this->logger !== null) {
            ($this->logger)("$method $path", ['body' => $body, 'idempotency_key' => $idempotencyKey], [
                'status' => $status,
                'replayed' => $replayed,
                'body' => $document ?? $text,
            ]);
        }
        if ($status >= 400) {
            throw ProvisionApiError::fromAnswer($status, $document);
        }
        if ($document === null) {
            throw new ProvisionApiError("provision serve answered $method $path with no JSON document", 'answer', $status);
        }
        return $document;
    }

    private static function decode(string $text): ?array
    {
        if ($text === '') {
            return null;
        }
        try {
            $value = json_decode($text, true, 64, JSON_THROW_ON_ERROR);
        } catch (JsonException) {
            return null;
        }
        return is_array($value) ? $value : null;
    }

    /**
     * @return array{0:int,1:bool,2:string} the status, whether the answer was replayed, the body
     */
    private function send(string $method, string $path, ?string $payload, array $headers): array
    {
        $handle = curl_init($this->baseUrl . $path);
        if ($handle === false) {
            throw new ProvisionApiError('curl could not start a request', 'connection', 0);
        }
        $replayed = false;
        $headers[] = 'Authorization: Bearer ' . $this->token;
        curl_setopt_array($handle, [
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_CONNECTTIMEOUT => 10,
            CURLOPT_TIMEOUT => $this->timeout,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_PROTOCOLS => CURLPROTO_HTTP | CURLPROTO_HTTPS,
            CURLOPT_SSL_VERIFYPEER => true,
            CURLOPT_SSL_VERIFYHOST => 2,
            CURLOPT_HEADERFUNCTION => static function ($curl, string $line) use (&$replayed): int {
                if (stripos($line, 'idempotent-replayed:') === 0) {
                    $replayed = strtolower(trim(substr($line, strlen('idempotent-replayed:')))) === 'true';
                }
                return strlen($line);
            },
        ]);
        if ($payload !== null) {
            curl_setopt($handle, CURLOPT_POSTFIELDS, $payload);
        }
        $text = curl_exec($handle);
        if ($text === false) {
            // curl's message names the address, never the headers.
            $error = curl_error($handle);
            curl_close($handle);
            throw new ProvisionApiError("provision serve at {$this->baseUrl} did not answer: $error", 'connection', 0);
        }
        $status = (int) curl_getinfo($handle, CURLINFO_RESPONSE_CODE);
        curl_close($handle);
        return [$status, $replayed, (string) $text];
    }
}
