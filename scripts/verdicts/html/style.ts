/** The page's only style sheet, inline: the file must render the same with no network. */
export const STYLE = `
:root{--red:#b3261e;--red-bg:#fde2e0;--amber:#8a5300;--amber-bg:#ffefc2;--green:#1e6b35;--green-bg:#e3f4e8;--grey:#555;--grey-bg:#eee}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem 2rem;color:#1b1b1b;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
p.meta{color:#555;margin:.25rem 0}
#summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem;margin:1rem 0}
.figure{border:1px solid #ccc;border-radius:6px;padding:.5rem .75rem}
.figure dt{font-size:.8rem;color:#444}.figure dd{margin:0;font-size:1.6rem;font-weight:700}
.figure.bad{border-color:var(--red);background:var(--red-bg)}.figure.warn{border-color:var(--amber);background:var(--amber-bg)}
.figure dd.text{font-size:1.05rem;padding-top:.3rem}
figure{margin:0}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.chart{flex:1 1 32rem;min-width:22rem}
.chart svg{width:100%;height:auto;border:1px solid #ddd;border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;vertical-align:top}
thead th{background:#f0f0f0;position:sticky;top:0}
th[scope=rowgroup]{background:#fafafa;font-weight:600;width:14rem}
.word{display:inline-block;font-weight:700;font-size:.8rem;padding:.1rem .4rem;border-radius:4px;white-space:nowrap}
.not-read{color:#fff;background:var(--red)}.revoking{color:var(--red);background:var(--red-bg)}
.due-soon{color:var(--amber);background:var(--amber-bg)}.clean{color:var(--green);background:var(--green-bg)}
.out-of-scope{color:var(--grey);background:var(--grey-bg)}
td.num{text-align:right;font-variant-numeric:tabular-nums}
#filter-box{margin:1rem 0;padding:.5rem;border:1px solid #ccc;border-radius:6px;background:#fafafa}
#filter{font-size:1rem;padding:.3rem .5rem;width:24rem;max-width:90%}
details{margin-top:1.5rem}summary{cursor:pointer;font-weight:700}
@media print{#filter-box{display:none}}
`;
