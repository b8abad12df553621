using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Statistics;

/// <summary>
/// <c>GET /statistics</c>: the core group's statistics page, an anonymous HTML shell. The figures are fetched
/// by the page with a coordinator or statistics key, entered once per browser session (sessionStorage,
/// header X-Api-Key). The four IOP figures per month are drawn as SVG bar charts by the page's own script, each
/// labelled with its values and all four in a table beside them (the charts' text alternative, WCAG 1.1.1); the
/// referrals by receiving organisation and support kind in a table of their own, with their own CSV; no external assets, and a strict Content-Security-Policy with a per-response nonce. Swedish by default,
/// English with <c>?lang=en</c>.
/// </summary>
public static class StatisticsPage
{
    static readonly Dictionary<string, string> Swedish = new(StringComparer.Ordinal)
    {
        ["title"] = "Statistik – Helsingborgsmodellen",
        ["heading"] = "Statistik",
        ["intro"] = "Siffrorna som IOP-överenskommelsen kräver, per månad. Små tal (1–4) visas som <5 för statistikrollen.",
        ["key"] = "API-nyckel",
        ["save"] = "Använd nyckeln",
        ["from"] = "Från",
        ["to"] = "Till",
        ["show"] = "Visa",
        ["csv"] = "Ladda ner CSV (Excel)",
        ["incidentsReported"] = "Incidentrapporter",
        ["personsDocumented"] = "Möjligt utsatta personer",
        ["supportConversations"] = "Stödsamtal",
        ["supportGiven"] = "Utfört stöd",
        ["outreach"] = "Internetuppsök",
        ["month"] = "Månad",
        ["outreachSessions"] = "Uppsökstillfällen",
        ["adsReviewed"] = "Granskade annonser",
        ["contactsAttempted"] = "Kontaktförsök",
        ["supportAccepted"] = "Accepterat stöd",
        ["needKey"] = "Ange en nyckel med rollen samordnare eller statistik.",
        ["denied"] = "Nyckeln saknar behörighet eller är okänd.",
        ["failed"] = "Statistiken kunde inte hämtas.",
        ["loading"] = "Hämtar …",
        ["months"] = "jan,feb,mar,apr,maj,jun,jul,aug,sep,okt,nov,dec",
        ["perMonth"] = "per månad",
        ["figures"] = "Siffrorna i diagrammen",
        ["skip"] = "Hoppa till innehållet",
        ["otherLanguage"] = "In English",
        ["accessibility"] = "Tillgänglighet",
        ["referrals"] = "Remisser till andra organisationer",
        ["referralsIntro"] = "Remisserna som skickades under perioden, per mottagande organisation och insats, och hur det gick med dem. Accepterade räknar alla som organisationen tog emot, också de som sedan slutfördes, gick ut eller avbröts. Svarstiden räknas från att remissen skickades till att den accepterades eller avböjdes; andelarna är av de skickade. Ett streck betyder att det inte finns något att räkna på eller att underlaget är för litet för att visas.",
        ["referralsCaption"] = "Remisser per mottagande organisation och insats, skickade",
        ["referralsCsv"] = "Ladda ner remisserna som CSV (Excel)",
        ["noReferrals"] = "Inga remisser skickades under perioden.",
        ["organisation"] = "Mottagande organisation",
        ["kind"] = "Insats",
        ["sent"] = "Skickade",
        ["accepted"] = "Accepterade",
        ["declined"] = "Avböjda",
        ["completed"] = "Slutförda",
        ["expired"] = "Utgångna",
        ["cancelled"] = "Avbrutna",
        ["awaitingAnswer"] = "Väntar på svar",
        ["medianAnswerHours"] = "Median svarstid (timmar)",
        ["declinedShare"] = "Andel avböjda",
        ["expiredShare"] = "Andel utgångna",
    };

    static readonly Dictionary<string, string> English = new(StringComparer.Ordinal)
    {
        ["title"] = "Statistics – the Helsingborg model",
        ["heading"] = "Statistics",
        ["intro"] = "The figures the IOP agreement asks for, per month. Small numbers (1–4) show as <5 for the statistics role.",
        ["key"] = "API key",
        ["save"] = "Use this key",
        ["from"] = "From",
        ["to"] = "To",
        ["show"] = "Show",
        ["csv"] = "Download CSV (Excel)",
        ["incidentsReported"] = "Incidents reported",
        ["personsDocumented"] = "Possibly exploited persons documented",
        ["supportConversations"] = "Support conversations",
        ["supportGiven"] = "Support given",
        ["outreach"] = "Internet outreach",
        ["month"] = "Month",
        ["outreachSessions"] = "Outreach sessions",
        ["adsReviewed"] = "Ads reviewed",
        ["contactsAttempted"] = "Contacts attempted",
        ["supportAccepted"] = "Support accepted",
        ["needKey"] = "Enter a key with the coordinator or statistics role.",
        ["denied"] = "The key is unknown or not allowed.",
        ["failed"] = "The statistics could not be loaded.",
        ["loading"] = "Loading …",
        ["months"] = "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
        ["perMonth"] = "per month",
        ["figures"] = "The figures in the charts",
        ["skip"] = "Skip to content",
        ["otherLanguage"] = "På svenska",
        ["accessibility"] = "Accessibility",
        ["referrals"] = "Referrals to other organisations",
        ["referralsIntro"] = "The referrals sent in the period, by receiving organisation and support kind, and how they fared. Accepted counts every referral the organisation took on, also those later completed, expired or cancelled. The answer time runs from sending to accepting or declining; the shares are of those sent. A dash means there is nothing to compute it from or too few to show.",
        ["referralsCaption"] = "Referrals by receiving organisation and support kind, sent",
        ["referralsCsv"] = "Download the referrals as CSV (Excel)",
        ["noReferrals"] = "No referrals were sent in the period.",
        ["organisation"] = "Receiving organisation",
        ["kind"] = "Support kind",
        ["sent"] = "Sent",
        ["accepted"] = "Accepted",
        ["declined"] = "Declined",
        ["completed"] = "Completed",
        ["expired"] = "Expired",
        ["cancelled"] = "Cancelled",
        ["awaitingAnswer"] = "Awaiting answer",
        ["medianAnswerHours"] = "Median answer time (hours)",
        ["declinedShare"] = "Declined share",
        ["expiredShare"] = "Expired share",
    };

    public static Task<IResult> GetAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        bool english = call.Request.Query["lang"].FirstOrDefault() == "en";
        Dictionary<string, string> t = english ? English : Swedish;
        string nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        IHeaderDictionary headers = call.Request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        HtmlEncoder html = HtmlEncoder.Default;
        string texts = JsonSerializer.Serialize(t).Replace("<", "\\u003c", StringComparison.Ordinal);
        string lang = english ? "en" : "sv";
        string other = english ? "sv" : "en";
        string page = Template
            .Replace("{{lang}}", lang, StringComparison.Ordinal)
            .Replace("{{otherLang}}", other, StringComparison.Ordinal)
            .Replace("{{otherHref}}", english ? "/statistics" : "/statistics?lang=en", StringComparison.Ordinal)
            .Replace("{{accessibilityHref}}", Web.AccessibilityStatementPage.Href(lang), StringComparison.Ordinal)
            .Replace("{{nonce}}", nonce, StringComparison.Ordinal)
            .Replace("{{texts}}", texts, StringComparison.Ordinal)
            .Replace("{{script}}", Script, StringComparison.Ordinal);
        foreach ((string key, string value) in t)
        {
            page = page.Replace("{{" + key + "}}", html.Encode(value), StringComparison.Ordinal);
        }

        return Task.FromResult(Results.Content(page, "text/html; charset=utf-8"));
    }

    const string Template = """
        <!doctype html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style nonce="{{nonce}}">
          body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d1d1b; max-width: 70rem; }
          a { color: #00558c; }
          .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
          .skip:focus { left: .5rem; }
          :focus-visible, input[type=date]:focus { outline: 3px solid #1d1d1b; outline-offset: 2px; }
          header { text-align: right; }
          footer { margin-top: 2rem; padding-top: 1rem; border-top: 1px solid #ddd; }
          form { display: flex; gap: .75rem; align-items: end; flex-wrap: wrap; margin-bottom: 1rem; }
          label { display: flex; flex-direction: column; font-size: .9rem; }
          .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(30rem, 1fr)); gap: 1rem; }
          figure { margin: 0; border: 1px solid #ddd; border-radius: 6px; padding: .5rem; }
          figcaption { font-weight: 600; margin-bottom: .25rem; }
          svg { width: 100%; height: auto; }
          rect.bar { fill: #00599c; }
          rect.bar.suppressed { fill: #9bb8d3; }
          text { font-size: 10px; fill: #1d1d1b; }
          table { border-collapse: collapse; margin-top: .5rem; }
          caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
          th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: right; }
          th:first-child, td:first-child, th.kind { text-align: left; }
          tr.subtotal th, tr.subtotal td { font-weight: 600; }
          #message { color: #a00; min-height: 1.2em; }
          .figures { overflow-x: auto; }
        </style>
        </head>
        <body>
        <a class="skip" href="#main">{{skip}}</a>
        <header><a href="{{otherHref}}" lang="{{otherLang}}" hreflang="{{otherLang}}">{{otherLanguage}}</a></header>
        <main id="main">
        <h1>{{heading}}</h1>
        <p>{{intro}}</p>
        <form id="key-form">
          <label>{{key}} <input id="api-key" type="password" autocomplete="off" required></label>
          <button type="submit">{{save}}</button>
        </form>
        <form id="period-form">
          <label>{{from}} <input id="from" type="date" required></label>
          <label>{{to}} <input id="to" type="date" required></label>
          <button type="submit">{{show}}</button>
          <button type="button" id="csv">{{csv}}</button>
        </form>
        <p id="message" role="status"></p>
        <div class="charts">
          <figure><figcaption>{{incidentsReported}}</figcaption><svg id="chart-incidentsReported" class="chart" data-figure="incidentsReported" viewBox="0 0 480 200" role="img" aria-label="{{incidentsReported}} {{perMonth}}"></svg></figure>
          <figure><figcaption>{{personsDocumented}}</figcaption><svg id="chart-personsDocumented" class="chart" data-figure="personsDocumented" viewBox="0 0 480 200" role="img" aria-label="{{personsDocumented}} {{perMonth}}"></svg></figure>
          <figure><figcaption>{{supportConversations}}</figcaption><svg id="chart-supportConversations" class="chart" data-figure="supportConversations" viewBox="0 0 480 200" role="img" aria-label="{{supportConversations}} {{perMonth}}"></svg></figure>
          <figure><figcaption>{{supportGiven}}</figcaption><svg id="chart-supportGiven" class="chart" data-figure="supportGiven" viewBox="0 0 480 200" role="img" aria-label="{{supportGiven}} {{perMonth}}"></svg></figure>
        </div>
        <div class="figures">
        <table id="figures" hidden>
          <caption>{{figures}}</caption>
          <thead><tr><th scope="col">{{month}}</th><th scope="col">{{incidentsReported}}</th><th scope="col">{{personsDocumented}}</th><th scope="col">{{supportConversations}}</th><th scope="col">{{supportGiven}}</th></tr></thead>
          <tbody></tbody>
        </table>
        </div>
        <h2>{{outreach}}</h2>
        <div class="figures">
        <table id="outreach" hidden>
          <thead><tr><th scope="col">{{month}}</th><th scope="col">{{outreachSessions}}</th><th scope="col">{{adsReviewed}}</th><th scope="col">{{contactsAttempted}}</th><th scope="col">{{supportAccepted}}</th></tr></thead>
          <tbody></tbody>
        </table>
        </div>
        <h2 id="referrals-heading">{{referrals}}</h2>
        <p>{{referralsIntro}}</p>
        <p><button type="button" id="referrals-csv">{{referralsCsv}}</button></p>
        <p id="no-referrals" hidden>{{noReferrals}}</p>
        <div class="figures" id="referrals-region" role="region" aria-labelledby="referrals-heading" tabindex="0">
        <table id="referrals" hidden>
          <caption></caption>
          <thead><tr><th scope="col">{{organisation}}</th><th scope="col">{{kind}}</th><th scope="col">{{sent}}</th><th scope="col">{{accepted}}</th><th scope="col">{{declined}}</th><th scope="col">{{completed}}</th><th scope="col">{{expired}}</th><th scope="col">{{cancelled}}</th><th scope="col">{{awaitingAnswer}}</th><th scope="col">{{medianAnswerHours}}</th><th scope="col">{{declinedShare}}</th><th scope="col">{{expiredShare}}</th></tr></thead>
          <tbody></tbody>
        </table>
        </div>
        </main>
        <footer><a href="{{accessibilityHref}}">{{accessibility}}</a></footer>
        <script type="application/json" id="texts">{{texts}}</script>
        <script nonce="{{nonce}}">{{script}}</script>
        </body>
        </html>
        """;

    const string Script = """
        (() => {
          'use strict';
          const t = JSON.parse(document.getElementById('texts').textContent);
          const months = t.months.split(',');
          const storageKey = 'helsingborg.apiKey';
          const svgNs = 'http://www.w3.org/2000/svg';
          const $ = id => document.getElementById(id);
          const say = text => { $('message').textContent = text || ''; };
          const today = new Date().toISOString().slice(0, 10);
          const params = new URLSearchParams(location.search);
          $('from').value = params.get('from') || today.slice(0, 4) + '-01-01';
          $('to').value = params.get('to') || today;

          function key() { return sessionStorage.getItem(storageKey); }

          function query(format, view) {
            const q = new URLSearchParams({ from: $('from').value, to: $('to').value, format });
            if (view === 'referrals') q.set('view', 'referrals'); else q.set('groupBy', 'month');
            if (document.documentElement.lang === 'en') q.set('lang', 'en');
            return '/api/statistics?' + q.toString();
          }

          async function request(format, view) {
            if (!key()) { say(t.needKey); return null; }
            const response = await fetch(query(format, view), { headers: { 'X-Api-Key': key() } });
            if (response.status === 401 || response.status === 403) { sessionStorage.removeItem(storageKey); say(t.denied); return null; }
            if (!response.ok) { say(t.failed); return null; }
            return response;
          }

          function numberOf(value) { return typeof value === 'number' ? value : 0; }

          function el(name, attributes, text) {
            const node = document.createElementNS(svgNs, name);
            for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
            if (text !== undefined) node.textContent = text;
            return node;
          }

          function monthLabel(group) {
            const [year, month] = group.split('-');
            return months[Number(month) - 1] + (month === '01' ? ' ' + year.slice(2) : '');
          }

          function draw(svg, items, figure) {
            svg.replaceChildren();
            svg.setAttribute('aria-label', t[figure] + ' ' + t.perMonth + ': ' + items.map(i => monthLabel(i.group) + ' ' + i[figure]).join(', '));
            const width = 480, height = 200, left = 28, bottom = 24, top = 14;
            const max = Math.max(1, ...items.map(i => numberOf(i[figure])));
            const slot = (width - left) / Math.max(1, items.length);
            const barWidth = Math.max(2, slot * 0.7);
            svg.appendChild(el('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#888' }));
            svg.appendChild(el('text', { x: 2, y: top, class: 'axis' }, String(max)));
            items.forEach((item, index) => {
              const value = item[figure];
              const suppressed = typeof value === 'string';
              const h = suppressed ? 3 : (numberOf(value) / max) * (height - bottom - top);
              const x = left + index * slot + (slot - barWidth) / 2;
              const bar = el('rect', { x, y: height - bottom - h, width: barWidth, height: h, class: suppressed ? 'bar suppressed' : 'bar', 'data-group': item.group, 'data-value': String(value) });
              bar.appendChild(el('title', {}, monthLabel(item.group) + ': ' + value));
              svg.appendChild(bar);
              svg.appendChild(el('text', { x: x + barWidth / 2, y: height - bottom - h - 2, 'text-anchor': 'middle', class: 'value' }, String(value)));
              svg.appendChild(el('text', { x: x + barWidth / 2, y: height - 8, 'text-anchor': 'middle', class: 'label' }, monthLabel(item.group)));
            });
          }

          // A table of the figures per month: the month is each row's header.
          function table(id, items, figures) {
            const body = document.querySelector('#' + id + ' tbody');
            body.replaceChildren();
            for (const item of items) {
              const row = document.createElement('tr');
              const month = document.createElement('th');
              month.scope = 'row';
              month.textContent = monthLabel(item.group);
              row.appendChild(month);
              for (const figure of figures) {
                const td = document.createElement('td');
                td.textContent = String(item[figure]);
                row.appendChild(td);
              }
              body.appendChild(row);
            }
            $(id).hidden = false;
          }

          const lang = document.documentElement.lang;
          const hours = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
          const percent = new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
          const counts = ['sent', 'accepted', 'declined', 'completed', 'expired', 'cancelled', 'awaitingAnswer'];

          // The referral figures: each organisation's kinds, then its row of all kinds, then the total; the
          // organisation and the kind are each row's headers.
          function referrals(data) {
            const body = document.querySelector('#referrals tbody');
            body.replaceChildren();
            const rows = data.organisations.flatMap(o => [...data.items.filter(i => i.organisation === o.organisation), o]);
            if (rows.length > 0) rows.push(data.total);
            for (const item of rows) {
              const row = document.createElement('tr');
              row.dataset.organisation = item.organisation;
              row.dataset.kind = item.kind || 'all';
              if (item.kind === null) row.className = 'subtotal';
              for (const [text, className] of [[item.label, 'organisation'], [item.kindLabel, 'kind']]) {
                const th = document.createElement('th');
                th.scope = 'row';
                th.className = className;
                th.textContent = text;
                row.appendChild(th);
              }
              const cells = counts.map(c => [c, String(item[c])]).concat([
                ['medianAnswerHours', item.medianAnswerHours === null ? '–' : hours.format(item.medianAnswerHours)],
                ['declinedShare', item.declinedShare === null ? '–' : percent.format(item.declinedShare)],
                ['expiredShare', item.expiredShare === null ? '–' : percent.format(item.expiredShare)]]);
              for (const [figure, text] of cells) {
                const td = document.createElement('td');
                td.dataset.figure = figure;
                td.textContent = text;
                row.appendChild(td);
              }
              body.appendChild(row);
            }
            document.querySelector('#referrals caption').textContent = t.referralsCaption + ' ' + data.from + '–' + data.to;
            $('referrals').hidden = rows.length === 0;
            $('no-referrals').hidden = rows.length > 0;
          }

          async function load() {
            say(t.loading);
            const response = await request('json');
            if (!response) return;
            const data = await response.json();
            for (const svg of document.querySelectorAll('svg.chart')) draw(svg, data.items, svg.dataset.figure);
            table('figures', data.items, ['incidentsReported', 'personsDocumented', 'supportConversations', 'supportGiven']);
            table('outreach', data.items, ['outreachSessions', 'adsReviewed', 'contactsAttempted', 'supportAccepted']);
            const referred = await request('json', 'referrals');
            if (!referred) return;
            referrals(await referred.json());
            say('');
            document.body.dataset.loaded = 'true';
          }

          async function download(view, name) {
            const response = await request('csv', view).catch(() => null);
            if (!response) return;
            const url = URL.createObjectURL(await response.blob());
            const a = document.createElement('a');
            a.href = url;
            a.download = name;
            document.body.appendChild(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 1000);
          }

          $('key-form').addEventListener('submit', e => {
            e.preventDefault();
            sessionStorage.setItem(storageKey, $('api-key').value);
            $('api-key').value = '';
            load().catch(() => say(t.failed));
          });
          $('period-form').addEventListener('submit', e => { e.preventDefault(); load().catch(() => say(t.failed)); });
          $('csv').addEventListener('click', () => download('figures', 'statistik-' + $('from').value + '-' + $('to').value + '.csv'));
          $('referrals-csv').addEventListener('click', () => download('referrals', 'statistik-' + $('from').value + '-' + $('to').value + '-remisser.csv'));
          if (key()) load().catch(() => say(t.failed)); else say(t.needKey);
        })();
        """;
}
