/**
 * The default theme's style sheets, under the names and with the selectors the admin guide
 * lists (main.css, faq.css, notice.css, search.css, inquiry.css), so a tenant's CSS written for
 * the guide overrides them unchanged; `base.css` holds the frame, `mobile.css` the phone layout.
 * Colours keep a contrast of at least 4.5:1 on their backgrounds.
 */

const base = `*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Apple SD Gothic Neo","Malgun Gothic",sans-serif;color:#1f2328;background:#fff;line-height:1.6}
a{color:#0b57d0}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.skip-link{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip-link:focus{left:1rem}
.hc-header{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;padding:.75rem 1.5rem;border-bottom:1px solid #d0d7de}
.hc-brand{font-weight:700;font-size:1.15rem;color:#1f2328;text-decoration:none}
.hc-menu,.hc-tools{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}
.hc-tools{margin-left:auto}
.hc-menu a[aria-current]{font-weight:700}
main{display:block;min-height:60vh}
.hc-footer{padding:1.5rem;border-top:1px solid #d0d7de;color:#57606a;font-size:.875rem}
.hc-button{display:inline-block;padding:.5rem 1rem;border:1px solid #0b57d0;border-radius:4px;text-decoration:none}
.hc-not-found{max-width:40rem;margin:3rem auto;padding:0 1.5rem}
.hc-sign-out{display:inline;margin:0}.hc-sign-out button{border:0;background:none;padding:0;color:inherit;font:inherit;text-decoration:underline;cursor:pointer}`

const main = `.main_banner{position:relative;background:#14325c;color:#fff;padding:3rem 1.5rem;text-align:center}
.main_banner img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover;opacity:.35}
.carousel-caption{position:relative}
.carousel-caption .title_txt{margin:0;font-size:2rem}
.carousel-caption .sub_txt{margin:.5rem 0 1.5rem;font-size:1.1rem}
.search-box{display:flex;max-width:36rem;margin:0 auto;background:#fff;border-radius:4px;overflow:hidden}
.search-box input{flex:1;border:0;padding:.75rem 1rem;font-size:1rem;color:#1f2328}
.search-box button{border:0;background:#0b57d0;color:#fff;padding:0 1rem;cursor:pointer}
.search-box .icon-ic-search::before{content:"\\1F50D"}
#supports .container-con{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:1rem;list-style:none;max-width:64rem;margin:2rem auto;padding:0 1.5rem}
#supports .support__item{border:1px solid #d0d7de;border-radius:6px;padding:1.25rem}
#supports .support__item:before{display:block;font-size:1.75rem;margin-bottom:.5rem}
#supports .support__item:nth-child(1):before{content:"\\1F4E2"}
#supports .support__item:nth-child(2):before{content:"\\2753"}
#supports .support__item:nth-child(3):before{content:"\\270F"}
#supports .support__item:nth-child(4):before{content:"\\1F4CB"}
#supports .support__item .card-title{margin:0;font-size:1.1rem}
#supports .support__item .card-title .btn{color:#1f2328;text-decoration:none}
#supports .support__item .card-title .btn:hover{color:#0b57d0}
#supports .support__item .card-title .btn:after{content:" \\203A"}
#supports .support__item .card-text{margin:.5rem 0 0;color:#57606a}
#sec_contact-news .textArea{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:2rem;max-width:64rem;margin:2rem auto;padding:0 1.5rem}
#sec_contact-news .textArea .text-item h3{display:flex;justify-content:space-between;margin:0 0 .5rem;font-size:1.1rem;border-bottom:2px solid #1f2328}
#sec_contact-news .textArea .text-item .icon-more::after{content:"+";font-size:1.25rem}
#sec_contact-news .textArea .text-item ul{list-style:none;margin:0;padding:0}
#sec_contact-news .textArea .text-item li{display:flex;justify-content:space-between;gap:1rem;padding:.35rem 0;border-bottom:1px solid #eaeef2}
#chat-offline{position:fixed;right:1.5rem;bottom:1.5rem;width:18rem;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem;box-shadow:0 4px 12px rgba(0,0,0,.15)}
#chat-offline .title{font-weight:700;margin:0}
#chat-offline .text{margin:.5rem 0}
#chat-offline .close{position:absolute;top:.5rem;right:.5rem;border:0;background:none;cursor:pointer}
#chat-offline .close::before{content:"\\00D7";font-size:1.25rem}
#chat-offline .btn{display:inline-block;padding:.35rem .75rem;background:#0b57d0;color:#fff;border-radius:4px;text-decoration:none}
`

const faq = `.lnb--fixed{display:flex;max-width:72rem;margin:0 auto;padding:2rem 1.5rem;gap:0}
.lnb--fixed .lnb--fixed__nav{flex:0 0 13rem}
.help-center-title{display:block;font-size:1.25rem;margin-bottom:1rem}
.lnb__nav{list-style:none;margin:0;padding:0}
.lnb__nav li a{display:block;padding:.5rem 0;color:#1f2328;text-decoration:none}
.lnb__nav li.on a{color:#0b57d0;font-weight:700}
.lnb--fixed__side-divider{flex:0 0 1px;background:#d0d7de;margin:0 2rem}
.lnb--fixed__content{flex:1;min-width:0}
.tit_txt{font-size:1.75rem;margin:.5rem 0 1.5rem}
.data_info-box{margin-top:1rem}
.tab_category{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;margin:1rem 0;padding:0}
.tab_category>li a{display:block;padding:.35rem .9rem;border:1px solid #d0d7de;border-radius:999px;color:#1f2328;text-decoration:none}
.tab_category>li.on a{background:#0b57d0;border-color:#0b57d0;color:#fff}
.tbl_wrap{overflow-x:auto}
.tbl_wrap table{width:100%;border-collapse:collapse}
.tbl_wrap th,.tbl_wrap td{padding:.6rem .5rem;border-bottom:1px solid #eaeef2;text-align:left}
.faqData th:nth-child(1){width:10rem}
.faqData th:nth-child(2){width:auto}
.faqData th:nth-child(3){width:8rem}
.faqData tr.hot-text td{background:#fff8e1}
.faqData tr.hot-text td .title-info a{font-weight:700}
.faqData td .title-info sup{color:#b3261e;font-weight:700;margin-left:.25rem}
.gocont .search{display:flex;flex-wrap:wrap;gap:.5rem}
.sel{padding:.5rem;border:1px solid #8c959f;border-radius:4px}
.search .inp{flex:1;min-width:10rem;padding:.5rem;border:1px solid #8c959f;border-radius:4px}
.search .btnArea button{padding:.5rem 1rem;border:0;border-radius:4px;background:#0b57d0;color:#fff;cursor:pointer}
.faqData_info-con{border-top:2px solid #1f2328;padding-top:1rem}
.faqData_info-con .dataTit{font-size:1.5rem;margin:0}
.faqData_info-con .dataTime{color:#57606a;margin:.25rem 0 1rem}
.faqData_info-con .dataTextBox{padding:1rem 0;border-bottom:1px solid #eaeef2;overflow-wrap:anywhere}
.hc-vote fieldset{border:1px solid #d0d7de;border-radius:6px;margin:1.5rem 0;padding:1rem}
.hc-vote button{margin-right:.5rem;padding:.4rem 1rem}
`

const notice = `.el-breadcrumb{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:.25rem;list-style:none;margin:0;padding:0;font-size:.875rem;color:#57606a}
.el-breadcrumb li+li::before{content:"\\203A";margin-right:.25rem}
.noticeData{width:100%}
.noticeData th:nth-child(1){width:5rem}
.noticeData th:nth-child(2){width:auto}
.noticeData th:nth-child(3){width:8rem}
.noticeData th:nth-child(4){width:8rem}
.noticeData tr{border-bottom:1px solid #eaeef2}
.noticeData tr.hot-text{background:#fff8e1}
.noticeData tr.hot-text td{font-weight:700}
.noticeData tr.hot-text td .title-info a{color:#1f2328}
.noticeData td .title-info a{color:#1f2328;text-decoration:none}
.noticeData td .title-info sup{color:#b3261e;font-weight:700;margin-left:.25rem}
.icon-leavel-1{display:inline-block;padding:0 .4rem;border:1px solid #b3261e;border-radius:3px;color:#b3261e;font-size:.8rem}
.upload-text-memo{color:#57606a;font-size:.875rem;margin:.25rem 0 0}
.faqData_info-con .dataTime .noticeType{margin-right:.5rem}
.faqData_info-con .dataTime .noticeType .icon-leavel-1{vertical-align:middle}
.hc-neighbours{list-style:none;padding:0}
`

const search = `.paginate{display:flex;justify-content:center;gap:.25rem;list-style:none;margin:1.5rem 0;padding:0}
.paginate li a{display:block;min-width:2.25rem;padding:.35rem .5rem;text-align:center;border:1px solid #d0d7de;border-radius:4px;color:#1f2328;text-decoration:none}
.paginate li.number.active a{background:#0b57d0;border-color:#0b57d0;color:#fff}
.paginate li.firstPage a,.paginate li.prev a,.paginate li.next a,.paginate li.lastPage a{font-weight:700}
.search-title{font-size:1.5rem;margin:.5rem 0 1rem}
.search-title strong{color:#0b57d0}
.search-text{margin:1.5rem 0}
.search-text .search-title_sub{font-size:1.15rem;border-bottom:2px solid #1f2328;padding-bottom:.25rem}
.search-text .search-text_lit{margin:0}
.search-text .search-text_lit dt a{font-weight:700;text-decoration:none}
.search-text .search-text_lit dt{margin-top:1rem}
.search-text .search-text_lit dd{margin:0;padding-bottom:.75rem;border-bottom:1px solid #eaeef2}
.search-text .search-text_lit dd .search-text_con{margin:.25rem 0;color:#1f2328}
.search-text .search-text_lit dd .search-text_time{margin:0;color:#57606a;font-size:.875rem}
`

const inquiry = `.selectStyle{padding:.5rem;border:1px solid #8c959f;border-radius:4px;min-width:12rem}
.inquiry-con{margin-top:1rem}
.inquiry-con .gocont{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin-bottom:1.5rem}
.inquiry-con_table{width:100%;border-collapse:collapse;border-top:2px solid #1f2328}
.inquiry-con_table th{width:12rem;padding:.75rem;text-align:left;vertical-align:top;background:#f6f8fa;border-bottom:1px solid #eaeef2}
.bl_ess{color:#b3261e}
.inquiry-con_table td{padding:.75rem;border-bottom:1px solid #eaeef2}
.inquiry-con_table td input:not([type=checkbox]):not([type=radio]),.inquiry-con_table td textarea{width:100%;padding:.5rem;border:1px solid #8c959f;border-radius:4px;font:inherit}
.error_txt{color:#b3261e;margin:.25rem 0 0}
.inquiry-btn{display:block;margin:1.5rem auto;padding:.75rem 3rem;border:0;border-radius:4px;background:#0b57d0;color:#fff;font-size:1rem;cursor:pointer}
.layui-icon{display:inline-block}
.layui-icon-right::before{content:"\\203A"}
.layui-icon-up::before{content:"\\2304"}
.check_area_wrap{margin-top:1rem}
.check_area_wrap .td-radio .layui-form-checkbox[lay-skin="primary"] span{margin-left:.25rem}
.hc-entries{list-style:none;padding:0}
.hc-entry{border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin:1rem 0}
.hc-entry--agent{background:#f6f8fa}
.hc-entry__author{font-size:1rem;margin:0 0 .5rem}
`

const mobile = `.hc--mobile .hc-header{padding:.5rem 1rem}
.hc-menu-toggle{width:100%}
.hc-menu-toggle summary{cursor:pointer;padding:.5rem 0;font-weight:700}
.hc--mobile .hc-menu,.hc--mobile .hc-tools{flex-direction:column;gap:.5rem;margin:0 0 .5rem}
.hc--mobile .lnb--fixed{display:block;padding:1rem}
.hc--mobile .lnb__nav--row{display:flex;gap:1rem;overflow-x:auto;border-bottom:1px solid #d0d7de;margin-bottom:1rem}
.hc--mobile .tit_txt{font-size:1.4rem}
.hc--mobile .carousel-caption .title_txt{font-size:1.5rem}
.hc--mobile .inquiry-con_table th,.hc--mobile .inquiry-con_table td{display:block;width:100%}
.hc--mobile .faqData th:nth-child(1),.hc--mobile .faqData td:nth-child(1),.hc--mobile .noticeData th:nth-child(3),.hc--mobile .noticeData td:nth-child(3){display:none}
`

/** The default theme's style sheets by file name. */
export const DEFAULT_CSS = {
  'base.css': base,
  'main.css': main,
  'faq.css': faq,
  'notice.css': notice,
  'search.css': search,
  'inquiry.css': inquiry,
  'mobile.css': mobile,
} as const

export type DefaultCssFile = keyof typeof DEFAULT_CSS

/** Which files each layout type links, in order. */
export const DEFAULT_CSS_FILES: Record<'pc' | 'mobile', readonly DefaultCssFile[]> = {
  pc: ['base.css', 'main.css', 'faq.css', 'notice.css', 'search.css', 'inquiry.css'],
  mobile: ['base.css', 'main.css', 'faq.css', 'notice.css', 'search.css', 'inquiry.css', 'mobile.css'],
}
