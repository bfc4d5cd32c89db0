{* The service's client page from provision serve: an iframe when the product names
   an address browsers reach, else the fragment WHMCS fetched. *}
<div class="provision-clientarea">
    <h3>{$LANG.provision_title}</h3>
    {if $error}
        <div class="alert alert-warning">{$LANG.provision_unavailable}</div>
    {elseif $frame_url}
        <iframe src="{$frame_url|escape:'html'}" title="{$LANG.provision_frame_title}"
                style="width:100%;min-height:720px;border:0"
                allow="clipboard-write" referrerpolicy="no-referrer"></iframe>
    {else}
        {$fragment nofilter}
    {/if}
</div>
