/**
 * The default theme: it passes its own save-time checks, renders every page type on PC and
 * mobile with the sample data, uses the classes and ids the admin guide lists (in its markup
 * and in its style sheets), shows only strings that exist as system sets, and keeps the page
 * accessible in its structure (lang, landmarks, one h1, labelled inputs).
 */
import { describe, expect, it } from 'vitest'
import { themeIssues } from '../render/check.ts'
import { uncachedTheme } from '../render/engine.ts'
import { PAGE_TYPES, type PageType } from '../render/page-types.ts'
import { samplePage } from '../render/samples.ts'
import { resolveFrom } from '../strings/resolve.ts'
import { isSystemCode, SYSTEM_STRINGS } from '../strings/system.ts'
import { DEFAULT_CSS } from './css.ts'
import { DEFAULT_THEMES, DEVICES, type Device } from './mod.ts'

const strings = resolveFrom([], 'ko', 'ko')
const render = (device: Device, type: PageType, language = 'ko', text = strings) =>
  uncachedTheme(DEFAULT_THEMES[device].templates).render(type, samplePage(type, { device, language, strings: text, assets: { css: ['/a.css'], script: null } }))

/** The classes and ids the admin guide lists per page (lines 194–203), as they appear in markup. */
const GUIDE_MARKUP: Partial<Record<PageType, string[]>> = {
  home: ['class="main_banner"', 'class="carousel-caption"', 'class="title_txt"', 'class="sub_txt"', 'class="search-box"', 'class="icon-ic-search"', 'id="supports"', 'class="container-con"', 'class="support__item"', 'class="card-title"', 'class="btn"', 'class="card-text"', 'id="sec_contact-news"', 'class="textArea"', 'class="text-item"', 'class="icon-more"'],
  faq_list: ['class="lnb--fixed"', 'class="lnb--fixed__nav"', 'class="lnb__nav', 'class="on"', 'class="lnb--fixed__content"', 'class="tit_txt"', 'class="data_info-box"', 'class="tab_category"', 'class="tbl_wrap"', 'class="faqData"', 'class="hot-text"', 'class="title-info"', '<sup>', 'class="gocont"', 'class="search"', 'class="sel"', 'class="inp"', 'class="btnArea"', 'class="el-breadcrumb"'],
  faq_detail: ['class="faqData_info-con"', 'class="dataTit"', 'class="dataTime"', 'class="dataTextBox"'],
  notice_list: ['class="noticeData"', 'class="hot-text"', 'class="icon-leavel-1"', 'class="paginate"', 'class="firstPage"', 'class="number active"', 'class="next"', 'class="lastPage"'],
  notice_detail: ['class="noticeType"', 'class="icon-leavel-1"', 'class="faqData_info-con"'],
  search_results: ['class="search-title"', '<strong>', 'class="search-text"', 'class="search-title_sub"', 'class="search-text_lit"', 'class="search-text_con"', 'class="search-text_time"'],
  inquiry_form: ['class="selectStyle"', 'class="inquiry-con"', 'class="inquiry-con_table"', 'class="bl_ess"', 'class="inquiry-btn"', 'class="layui-icon layui-icon-right"', 'class="check_area_wrap"', 'class="td-radio"', 'class="layui-form-checkbox" lay-skin="primary"', 'class="upload-text-memo"'],
}

/** Selectors of the guide's tables, by style sheet; each must appear in the sheet of that name. */
const GUIDE_SELECTORS: Record<string, string[]> = {
  'main.css': ['.main_banner', '.main_banner img', '.carousel-caption .title_txt', '.carousel-caption .sub_txt', '.search-box', '.search-box .icon-ic-search', '#supports .container-con', '#supports .support__item:nth-child(1):before', '#supports .support__item:nth-child(2):before', '#supports .support__item:nth-child(3):before', '#supports .support__item:nth-child(4):before', '#supports .support__item .card-title .btn', '#supports .support__item .card-title .btn:hover', '#supports .support__item .card-title .btn:after', '#supports .support__item .card-text', '#sec_contact-news .textArea', '#sec_contact-news .textArea .text-item h3', '#sec_contact-news .textArea .text-item .icon-more::after', '#sec_contact-news .textArea .text-item li', '#chat-offline', '#chat-offline .title', '#chat-offline .text', '#chat-offline .close', '#chat-offline .btn'],
  'faq.css': ['.lnb--fixed .lnb--fixed__nav', '.help-center-title', '.lnb__nav', '.lnb__nav li a', '.lnb__nav li.on a', '.lnb--fixed__side-divider', '.lnb--fixed__content', '.tit_txt', '.data_info-box', '.tab_category', '.tab_category>li.on', '.tab_category>li', '.tbl_wrap', '.faqData th:nth-child(1)', '.faqData th:nth-child(2)', '.faqData th:nth-child(3)', '.faqData tr.hot-text td', '.faqData tr.hot-text td .title-info a', '.faqData td .title-info sup', '.gocont .search', '.sel', '.search .inp', '.search .btnArea', '.faqData_info-con', '.faqData_info-con .dataTit', '.faqData_info-con .dataTime', '.faqData_info-con .dataTextBox'],
  'notice.css': ['.el-breadcrumb', '.el-breadcrumb li', '.noticeData', '.noticeData th:nth-child(1)', '.noticeData th:nth-child(2)', '.noticeData th:nth-child(3)', '.noticeData th:nth-child(4)', '.noticeData tr.hot-text', '.noticeData tr.hot-text td', '.noticeData tr.hot-text td .title-info a', '.noticeData td .title-info sup', '.icon-leavel-1', '.noticeData tr', '.noticeData td .title-info a', '.upload-text-memo', '.faqData_info-con .dataTime .noticeType', '.faqData_info-con .dataTime .noticeType .icon-leavel-1'],
  'search.css': ['.paginate', '.paginate li', '.paginate li.firstPage a', '.paginate li.prev a', '.paginate li a', '.paginate li.number.active a', '.paginate li.next a', '.paginate li.lastPage a', '.search-title', '.search-title strong', '.search-text', '.search-text .search-title_sub', '.search-text .search-text_lit', '.search-text .search-text_lit dt a', '.search-text .search-text_lit dd .search-text_con', '.search-text .search-text_lit dd .search-text_time'],
  'inquiry.css': ['.selectStyle', '.inquiry-con', '.inquiry-con_table', '.inquiry-con_table th', '.bl_ess', '.inquiry-con_table td', '.error_txt', '.inquiry-btn', '.layui-icon', '.layui-icon-right', '.layui-icon-up', '.check_area_wrap .td-radio .layui-form-checkbox[lay-skin="primary"] span'],
}

describe('the default theme', () => {
  it.each(DEVICES)('passes the save-time checks (%s)', async (device) => {
    expect(await themeIssues(DEFAULT_THEMES[device].templates)).toEqual([])
  })

  for (const device of DEVICES) {
    it.each(PAGE_TYPES)(`renders %s on ${device} as an accessible page in the page language`, async (type) => {
      const html = await render(device, type, 'en', resolveFrom([], 'en', 'ko'))
      expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true)
      expect(html).toMatch(/<main id="content"/)
      expect(html).toMatch(/<header class="hc-header">/)
      expect(html).toMatch(/<footer class="hc-footer">/)
      expect(html).toMatch(/<nav class="hc-nav" aria-label="Menu">/)
      expect(html.match(/<h1[ >]/g)).toHaveLength(1)
      expect(html).toContain(`class="hc hc--${device}"`)
      expect(html).toContain('<link rel="stylesheet" href="/a.css">')
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/)
      expect(html).not.toMatch(/ on[a-z]+=/)
      // Every input, select and textarea with an id has a label for it.
      for (const [, id] of html.matchAll(/<(?:input|select|textarea)[^>]* id="([^"]+)"/g)) expect(html).toContain(`for="${id}"`)
      for (const marker of GUIDE_MARKUP[type] ?? []) expect(html).toContain(marker)
    })
  }

  it('shows dates in the service\'s time zone', async () => {
    // 20:00 UTC on 2 March is 05:00 on 3 March in Seoul.
    expect(await render('pc', 'faq_detail')).toContain('<time datetime="2026-03-02T20:00:00.000Z">2026-03-03</time>')
  })

  it('renders the PC section menu as the guide\'s LNB and folds the mobile menu without a script', async () => {
    const pc = await render('pc', 'faq_list')
    expect(pc).toContain('<strong class="help-center-title">고객센터</strong>')
    expect(pc).toContain('class="lnb--fixed__side-divider"')
    expect(pc).toMatch(/<li class="on"><a href="\/support\/hc\/faq" aria-current="page">FAQ<\/a><\/li>/)
    const mobile = await render('mobile', 'faq_list')
    expect(mobile).toContain('<details class="hc-menu-toggle">')
    expect(mobile).not.toContain('lnb--fixed__side-divider')
  })

  it('has style sheets holding every selector the guide lists', () => {
    for (const [sheet, selectors] of Object.entries(GUIDE_SELECTORS)) {
      const css = DEFAULT_CSS[sheet as keyof typeof DEFAULT_CSS]
      for (const selector of selectors) expect(css, `${sheet} ${selector}`).toContain(`${selector}{`.replace(/\{$/, ''))
    }
  })

  it('reads every visible word from strings, and every code it reads is a system set in Korean and English', async () => {
    for (const device of DEVICES) {
      const theme = uncachedTheme(DEFAULT_THEMES[device].templates)
      for (const name of Object.keys(DEFAULT_THEMES[device].templates)) {
        const analysis = await theme.liquid.analyze(theme.parsed(name), { partials: false })
        for (const variable of analysis.globals.strings ?? []) {
          const code = String(variable.segments[1])
          expect(isSystemCode(code), `${name}: strings.${code}`).toBe(true)
        }
      }
    }
    for (const [code, texts] of Object.entries(SYSTEM_STRINGS)) expect(texts.ko.length * texts.en.length, code).toBeGreaterThan(0)
    // With every string marked, the frame of a page shows no word that is not a marked string or page data.
    const marked = Object.fromEntries(Object.keys(SYSTEM_STRINGS).map((code) => [code, '⟦⟧']))
    const html = await render('pc', 'not_found', 'ko', marked)
    const visible = html.replace(/<head>[\s\S]*<\/head>/, '').replace(/<[^>]+>/g, ' ').replace(/&[a-z]+;|&#\d+;/g, ' ')
    expect(visible.replace(/⟦⟧|Example|한국어|English|Shop/g, '').trim().replace(/\s+/g, ' ')).toBe('')
  })
})
