/**
 * The default theme's page templates, one per page type of the catalogue (render/page-types.ts),
 * shared by PC and mobile. They use exactly the classes and ids the admin guide lists for the
 * default template (main, faq, notice, search and inquiry), so CSS written for the guide works
 * unchanged; every visible word comes from `strings`; every form works without a script.
 */
import type { PageType } from '../render/page-types.ts'

/** A date in the service's time zone, with its exact time for machines. */
const date = (value: string) => `<time datetime="{{ ${value} }}">{{ ${value} | date: '%Y-%m-%d', hc.timezone }}</time>`

const home = `{% layout 'layout' %}
{% block title %}{{ strings.hc_title }} - {{ hc.serviceName }}{% endblock %}
{% block content %}
<section class="main_banner" aria-labelledby="hc-banner-title">
{% if banner.imageUrl %}<img src="{{ banner.imageUrl }}" alt="">{% endif %}
<div class="carousel-caption">
<h1 class="title_txt" id="hc-banner-title">{{ banner.title }}</h1>
<p class="sub_txt">{{ banner.subtitle }}</p>
<form class="search-box" role="search" action="{{ hc.urls.search }}" method="get">
<label for="hc-search" class="sr-only">{{ strings.hc_search_label }}</label>
<input id="hc-search" type="search" name="q" placeholder="{{ strings.hc_search_placeholder }}">
<button type="submit"><span class="icon-ic-search" aria-hidden="true"></span><span class="sr-only">{{ strings.hc_search_button }}</span></button>
</form>
</div>
</section>
<section id="supports" aria-labelledby="hc-supports-title">
<h2 id="hc-supports-title" class="sr-only">{{ strings.hc_supports_title }}</h2>
<ul class="container-con">
{% if hc.menus.notices %}<li class="support__item"><h3 class="card-title"><a class="btn" href="{{ hc.urls.notices }}">{{ strings.hc_menu_notices }}</a></h3><p class="card-text">{{ strings.hc_support_notices }}</p></li>{% endif %}
{% if hc.menus.faq %}<li class="support__item"><h3 class="card-title"><a class="btn" href="{{ hc.urls.faq }}">{{ strings.hc_menu_faq }}</a></h3><p class="card-text">{{ strings.hc_support_faq }}</p></li>{% endif %}
{% if hc.menus.inquiry %}<li class="support__item"><h3 class="card-title"><a class="btn" href="{{ hc.urls.inquiry }}">{{ strings.hc_menu_inquiry }}</a></h3><p class="card-text">{{ strings.hc_support_inquiry }}</p></li>{% endif %}
{% if hc.menus.inquiryHistory %}<li class="support__item"><h3 class="card-title"><a class="btn" href="{{ hc.urls.inquiryHistory }}">{{ strings.hc_menu_history }}</a></h3><p class="card-text">{{ strings.hc_support_history }}</p></li>{% endif %}
</ul>
</section>
<section id="sec_contact-news" aria-labelledby="hc-news-title">
<h2 id="hc-news-title" class="sr-only">{{ strings.hc_news_title }}</h2>
<div class="textArea">
{% if hc.menus.notices %}<div class="text-item">
<h3>{{ strings.hc_menu_notices }} <a class="icon-more" href="{{ hc.urls.notices }}"><span class="sr-only">{{ strings.hc_more }}</span></a></h3>
<ul>{% for notice in recentNotices %}<li><a href="{{ notice.url }}">{{ notice.title }}</a> ${date('notice.publishedAt')}</li>{% else %}<li>{{ strings.hc_empty_list }}</li>{% endfor %}</ul>
</div>{% endif %}
{% if hc.menus.faq %}<div class="text-item">
<h3>{{ strings.hc_menu_faq }} <a class="icon-more" href="{{ hc.urls.faq }}"><span class="sr-only">{{ strings.hc_more }}</span></a></h3>
<ul>{% for faq in popularFaqs %}<li><a href="{{ faq.url }}">{{ faq.title }}</a></li>{% else %}<li>{{ strings.hc_empty_list }}</li>{% endfor %}</ul>
</div>{% endif %}
</div>
</section>
{% if hc.menus.chat %}<div id="chat-offline" hidden>
<p class="title">{{ strings.hc_chat_offline_title }}</p>
<p class="text">{{ strings.hc_chat_offline_text }}</p>
<a class="btn" href="{{ hc.urls.inquiry }}">{{ strings.hc_menu_inquiry }}</a>
<button type="button" class="close"><span class="sr-only">{{ strings.hc_close }}</span></button>
</div>{% endif %}
{% endblock %}`

const noticeList = `{% layout 'section' %}
{% block title %}{{ strings.hc_menu_notices }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li aria-current="page">{{ strings.hc_menu_notices }}</li>{% endblock %}
{% block section %}
<h1 class="tit_txt">{{ strings.hc_menu_notices }}</h1>
<div class="data_info-box">
<div class="tbl_wrap">
<table class="noticeData">
<caption class="sr-only">{{ strings.hc_notice_table_caption }}</caption>
<thead><tr><th scope="col">{{ strings.hc_col_number }}</th><th scope="col">{{ strings.hc_col_title }}</th><th scope="col">{{ strings.hc_col_tag }}</th><th scope="col">{{ strings.hc_col_date }}</th></tr></thead>
<tbody>
{% for notice in notices %}<tr{% if notice.hot %} class="hot-text"{% endif %}>
<td>{% if notice.hot %}<span class="icon-leavel-1">{{ strings.hc_hot }}</span>{% else %}{{ notice.number }}{% endif %}</td>
<td><span class="title-info"><a href="{{ notice.url }}">{{ notice.title }}</a>{% if notice.hot %} <sup>{{ strings.hc_hot }}</sup>{% endif %}</span></td>
<td>{% if notice.tag %}<span class="icon-leavel-1">{{ notice.tag }}</span>{% endif %}</td>
<td>${date('notice.publishedAt')}</td>
</tr>{% else %}<tr><td colspan="4">{{ strings.hc_empty_list }}</td></tr>{% endfor %}
</tbody>
</table>
</div>
{% include 'pagination' %}
</div>
{% endblock %}`

const noticeDetail = `{% layout 'section' %}
{% block title %}{{ notice.title }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li><a href="{{ listUrl }}">{{ strings.hc_menu_notices }}</a></li><li aria-current="page">{{ notice.title }}</li>{% endblock %}
{% block section %}
<article class="faqData_info-con">
<h1 class="dataTit">{{ notice.title }}</h1>
<p class="dataTime">{% if notice.tag %}<span class="noticeType"><span class="icon-leavel-1">{{ notice.tag }}</span></span> {% endif %}${date('notice.publishedAt')}</p>
<div class="dataTextBox">{{ notice.body | raw }}</div>
</article>
<nav aria-label="{{ strings.hc_neighbours_label }}"><ul class="hc-neighbours">
{% if previous %}<li>{{ strings.hc_previous }}: <a href="{{ previous.url }}">{{ previous.title }}</a></li>{% endif %}
{% if next %}<li>{{ strings.hc_next }}: <a href="{{ next.url }}">{{ next.title }}</a></li>{% endif %}
</ul></nav>
<p><a class="hc-button" href="{{ listUrl }}">{{ strings.hc_back_to_list }}</a></p>
{% endblock %}`

const faqCategories = `<ul class="tab_category">
<li{% if query == '' %}{% unless categories_current %} class="on"{% endunless %}{% endif %}><a href="{{ hc.urls.faq }}">{{ strings.hc_all }}</a></li>
{% for category in categories %}<li{% if category.current %} class="on"{% endif %}><a href="{{ category.url }}"{% if category.current %} aria-current="page"{% endif %}>{{ category.name }}</a></li>{% endfor %}
</ul>`

const faqList = `{% layout 'section' %}
{% block title %}{{ strings.hc_menu_faq }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li aria-current="page">{{ strings.hc_menu_faq }}</li>{% endblock %}
{% block section %}
{% assign categories_current = categories | where: 'current', true | first %}
<h1 class="tit_txt">{{ strings.hc_menu_faq }}</h1>
<div class="data_info-box">
<form class="gocont" role="search" method="get" action="{{ searchUrl }}">
<div class="search">
<label for="hc-faq-category" class="sr-only">{{ strings.hc_faq_category_label }}</label>
<select class="sel" id="hc-faq-category" name="category"><option value="">{{ strings.hc_all }}</option>{% for category in categories %}<option value="{{ category.id }}"{% if category.current %} selected{% endif %}>{{ category.name }}</option>{% endfor %}</select>
<label for="hc-faq-q" class="sr-only">{{ strings.hc_search_label }}</label>
<input class="inp" id="hc-faq-q" type="search" name="q" value="{{ query }}" placeholder="{{ strings.hc_search_placeholder }}">
<div class="btnArea"><button type="submit">{{ strings.hc_search_button }}</button></div>
</div>
</form>
${faqCategories}
<div class="tbl_wrap">
<table class="faqData">
<caption class="sr-only">{{ strings.hc_faq_table_caption }}</caption>
<thead><tr><th scope="col">{{ strings.hc_col_category }}</th><th scope="col">{{ strings.hc_col_title }}</th><th scope="col">{{ strings.hc_col_date }}</th></tr></thead>
<tbody>
{% for faq in faqs %}<tr{% if faq.hot %} class="hot-text"{% endif %}>
<td>{{ faq.category }}</td>
<td><span class="title-info"><a href="{{ faq.url }}">{{ faq.title }}</a>{% if faq.hot %} <sup>{{ strings.hc_hot }}</sup>{% endif %}</span></td>
<td>${date('faq.publishedAt')}</td>
</tr>{% else %}<tr><td colspan="3">{{ strings.hc_empty_list }}</td></tr>{% endfor %}
</tbody>
</table>
</div>
{% include 'pagination' %}
</div>
{% endblock %}`

const faqDetail = `{% layout 'section' %}
{% block title %}{{ faq.title }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li><a href="{{ listUrl }}">{{ strings.hc_menu_faq }}</a></li><li aria-current="page">{{ faq.title }}</li>{% endblock %}
{% block section %}
<article class="faqData_info-con">
<h1 class="dataTit">{{ faq.title }}</h1>
<p class="dataTime"><span class="hc-category">{{ faq.category }}</span> ${date('faq.publishedAt')}</p>
<div class="dataTextBox">{{ faq.body | raw }}</div>
</article>
<form class="hc-vote" method="post" action="{{ vote.action }}">
<input type="hidden" name="csrf" value="{{ csrf }}">
{% if vote.voted %}<p role="status">{{ strings.hc_vote_thanks }}</p>{% else %}<fieldset>
<legend>{{ strings.hc_vote_question }}</legend>
<button type="submit" name="helpful" value="yes">{{ strings.hc_vote_yes }}</button>
<button type="submit" name="helpful" value="no">{{ strings.hc_vote_no }}</button>
</fieldset>{% endif %}
</form>
<p><a class="hc-button" href="{{ listUrl }}">{{ strings.hc_back_to_list }}</a></p>
{% endblock %}`

const hits = (section: 'notices' | 'faqs', title: string) => `{% if ${section}.total > 0 %}<section class="search-text" aria-labelledby="hc-hits-${section}">
<h2 class="search-title_sub" id="hc-hits-${section}">{{ strings.${title} }} ({{ ${section}.total }})</h2>
<dl class="search-text_lit">
{% for hit in ${section}.hits %}<dt><a href="{{ hit.url }}">{{ hit.title }}</a></dt>
<dd><p class="search-text_con">{{ hit.excerpt }}</p><p class="search-text_time">${date('hit.publishedAt')}</p></dd>
{% endfor %}</dl>
</section>{% endif %}`

const searchResults = `{% layout 'section' %}
{% block title %}{{ strings.hc_search_results }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li aria-current="page">{{ strings.hc_search_results }}</li>{% endblock %}
{% block section %}
<h1 class="search-title"><strong>{{ query }}</strong> {{ strings.hc_search_results_for }} ({{ total }})</h1>
<form class="search-box" role="search" action="{{ hc.urls.search }}" method="get">
<label for="hc-search-again" class="sr-only">{{ strings.hc_search_label }}</label>
<input id="hc-search-again" type="search" name="q" value="{{ query }}">
<button type="submit">{{ strings.hc_search_button }}</button>
</form>
{% if total == 0 %}<p>{{ strings.hc_search_nothing }}</p>{% endif %}
${hits('notices', 'hc_menu_notices')}
${hits('faqs', 'hc_menu_faq')}
{% include 'pagination' %}
{% endblock %}`

// Said once, on the input of every field type: required, and the error it is described by.
const fieldAttributes = `{% if field.error %} aria-invalid="true" aria-describedby="hc-f-{{ field.name }}-error"{% endif %}{% if field.required %} required{% endif %}`

const inquiryField = `<tr>
<th scope="row">{% if field.type == 'radio' or field.type == 'checkbox' %}<span id="hc-f-{{ field.name }}-label">{{ field.label }}</span>{% else %}<label for="hc-f-{{ field.name }}">{{ field.label }}</label>{% endif %}{% if field.required %} <span class="bl_ess" aria-hidden="true">*</span><span class="sr-only">{{ strings.hc_required }}</span>{% endif %}</th>
<td>
{% case field.type %}
{% when 'textarea' %}<textarea id="hc-f-{{ field.name }}" name="{{ field.name }}" rows="8"${fieldAttributes}>{{ field.value }}</textarea>
{% when 'select' %}<select class="selectStyle" id="hc-f-{{ field.name }}" name="{{ field.name }}"${fieldAttributes}><option value="">{{ strings.hc_choose }}</option>{% for option in field.options %}<option value="{{ option.value }}"{% if option.selected %} selected{% endif %}>{{ option.label }}</option>{% endfor %}</select>
{% when 'radio', 'checkbox' %}<div class="check_area_wrap" role="group" aria-labelledby="hc-f-{{ field.name }}-label"><div class="td-radio">{% for option in field.options %}<label class="layui-form-checkbox" lay-skin="primary"><input type="{{ field.type }}" name="{{ field.name }}" value="{{ option.value }}"{% if option.selected %} checked{% endif %}> <span>{{ option.label }}</span></label> {% endfor %}</div></div>
{% else %}<input id="hc-f-{{ field.name }}" type="{{ field.type }}" name="{{ field.name }}" value="{{ field.value }}"${fieldAttributes}>
{% endcase %}
{% if field.help %}<p class="upload-text-memo">{{ field.help }}</p>{% endif %}
{% if field.error %}<p class="error_txt" id="hc-f-{{ field.name }}-error">{{ field.error }}</p>{% endif %}
</td>
</tr>`

const inquiryForm = `{% layout 'section' %}
{% block title %}{{ strings.hc_menu_inquiry }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li aria-current="page">{{ strings.hc_menu_inquiry }}</li>{% endblock %}
{% block section %}
{% assign chosen = categories | where: 'selected', true | first %}
<h1 class="tit_txt">{{ strings.hc_menu_inquiry }}</h1>
<div class="inquiry-con">
{% if errors.size > 0 %}<div class="error_txt" role="alert"><p>{{ strings.hc_inquiry_errors }}</p><ul>{% for error in errors %}<li>{{ error }}</li>{% endfor %}</ul></div>{% endif %}
<form class="gocont" method="get" action="{{ categoryUrl }}">
<label for="hc-inquiry-category">{{ strings.hc_inquiry_category }}</label>
<select class="selectStyle" id="hc-inquiry-category" name="category"><option value="">{{ strings.hc_choose }}</option>{% for category in categories %}<option value="{{ category.id }}"{% if category.selected %} selected{% endif %}>{{ category.name }}</option>{% endfor %}</select>
<button type="submit">{{ strings.hc_inquiry_choose_category }} <span class="layui-icon layui-icon-right" aria-hidden="true"></span></button>
</form>
{% if chosen %}<form method="post" action="{{ action }}" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{ csrf }}">
<input type="hidden" name="category" value="{{ chosen.id }}">
<table class="inquiry-con_table">
<caption class="sr-only">{{ strings.hc_inquiry_table_caption }}</caption>
<tbody>
{% if requester %}{% include 'inquiry_field', field: requester.name %}{% include 'inquiry_field', field: requester.email %}{% endif %}
{% for field in fields %}{% include 'inquiry_field', field: field %}{% endfor %}
{% if attachments.allowed %}<tr><th scope="row"><label for="hc-f-attachments">{{ strings.hc_inquiry_attachments }}</label></th>
<td><input id="hc-f-attachments" type="file" name="attachments" multiple accept="{{ attachments.accept }}" aria-describedby="hc-f-attachments-memo"><p class="upload-text-memo" id="hc-f-attachments-memo">{{ strings.hc_inquiry_attachments_memo }} ({{ attachments.maxFiles }}, {{ attachments.maxBytes | divided_by: 1048576 }} MB)</p></td></tr>{% endif %}
</tbody>
</table>
<div class="check_area_wrap"><div class="td-radio">
<label class="layui-form-checkbox" lay-skin="primary"><input type="checkbox" name="consent" value="yes"{% if consent.checked %} checked{% endif %}{% if consent.required %} required{% endif %}{% if consent.error %} aria-invalid="true" aria-describedby="hc-consent-error"{% endif %}> <span>{{ consent.text }}</span></label>
</div>{% if consent.error %}<p class="error_txt" id="hc-consent-error">{{ consent.error }}</p>{% endif %}</div>
<button type="submit" class="inquiry-btn">{{ strings.hc_inquiry_submit }}</button>
</form>{% else %}<p>{{ strings.hc_inquiry_choose_first }}</p>{% endif %}
</div>
{% endblock %}`

const inquiryDone = `{% layout 'section' %}
{% block title %}{{ strings.hc_inquiry_done_title }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li aria-current="page">{{ strings.hc_menu_inquiry }}</li>{% endblock %}
{% block section %}
<h1 class="tit_txt">{{ strings.hc_inquiry_done_title }}</h1>
<div class="inquiry-con" role="status">
<p>{{ strings.hc_inquiry_done_text }}</p>
{% if ticketNumber %}<p>{{ strings.hc_inquiry_number }}: <strong>{{ ticketNumber }}</strong></p>{% endif %}
{% if historyUrl %}<p><a class="hc-button" href="{{ historyUrl }}">{{ strings.hc_menu_history }}</a></p>{% endif %}
<p><a href="{{ hc.urls.home }}">{{ strings.hc_home }}</a></p>
</div>
{% endblock %}`

const inquiryHistory = `{% layout 'section' %}
{% block title %}{{ strings.hc_menu_history }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li aria-current="page">{{ strings.hc_menu_history }}</li>{% endblock %}
{% block section %}
<h1 class="tit_txt">{{ strings.hc_menu_history }}</h1>
<div class="data_info-box"><div class="tbl_wrap">
<table class="noticeData">
<caption class="sr-only">{{ strings.hc_history_table_caption }}</caption>
<thead><tr><th scope="col">{{ strings.hc_col_number }}</th><th scope="col">{{ strings.hc_col_title }}</th><th scope="col">{{ strings.hc_col_status }}</th><th scope="col">{{ strings.hc_col_date }}</th></tr></thead>
<tbody>
{% for inquiry in inquiries %}<tr><td>{{ inquiry.number }}</td><td><span class="title-info"><a href="{{ inquiry.url }}">{{ inquiry.title }}</a></span></td><td>{{ inquiry.statusLabel }}</td><td>${date('inquiry.createdAt')}</td></tr>
{% else %}<tr><td colspan="4">{{ strings.hc_history_empty }}</td></tr>{% endfor %}
</tbody>
</table>
</div>
{% include 'pagination' %}
</div>
{% endblock %}`

const inquiryDetail = `{% layout 'section' %}
{% block title %}{{ inquiry.title }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li><a href="{{ historyUrl }}">{{ strings.hc_menu_history }}</a></li><li aria-current="page">{{ inquiry.number }}</li>{% endblock %}
{% block section %}
<article class="faqData_info-con">
<h1 class="dataTit">{{ inquiry.title }}</h1>
<p class="dataTime">{{ inquiry.number }} &middot; {{ inquiry.statusLabel }} &middot; ${date('inquiry.createdAt')}</p>
{% if inquiry.fields.size > 0 %}<dl class="hc-fields">{% for field in inquiry.fields %}<dt>{{ field.label }}</dt><dd>{{ field.value }}</dd>{% endfor %}</dl>{% endif %}
<ol class="hc-entries">
{% for entry in inquiry.entries %}<li class="hc-entry{% if entry.fromAgent %} hc-entry--agent{% endif %}">
<h2 class="hc-entry__author">{% if entry.fromAgent %}{{ strings.hc_answer_from }}{% else %}{{ strings.hc_question_from }}{% endif %} {{ entry.authorName }} ${date('entry.createdAt')}</h2>
<div class="dataTextBox">{{ entry.body | raw }}</div>
{% if entry.attachments.size > 0 %}<ul class="hc-attachments">{% for file in entry.attachments %}<li><a href="{{ file.url }}">{{ file.name }}</a></li>{% endfor %}</ul>{% endif %}
</li>{% endfor %}
</ol>
</article>
{% if reply.allowed %}<form class="inquiry-con" method="post" action="{{ reply.action }}" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label for="hc-reply">{{ strings.hc_reply_label }}</label>
<textarea id="hc-reply" name="content" rows="6" required></textarea>
<button type="submit" class="inquiry-btn">{{ strings.hc_reply_submit }}</button>
</form>{% endif %}
<p><a class="hc-button" href="{{ historyUrl }}">{{ strings.hc_back_to_list }}</a></p>
{% endblock %}`

const signinRequired = `{% layout 'section' %}
{% block title %}{{ strings.hc_signin_required_title }} - {{ hc.serviceName }}{% endblock %}
{% block breadcrumb %}<li aria-current="page">{{ strings.hc_sign_in }}</li>{% endblock %}
{% block section %}
<h1 class="tit_txt">{{ strings.hc_signin_required_title }}</h1>
<p>{{ strings.hc_signin_required_text }}</p>
<p><a class="hc-button" href="{{ signInUrl }}">{{ strings.hc_sign_in }}</a></p>
{% endblock %}`

const notFound = `{% layout 'layout' %}
{% block title %}{{ strings.hc_not_found_title }} - {{ hc.serviceName }}{% endblock %}
{% block content %}
<div class="hc-not-found">
<h1 class="tit_txt">{{ strings.hc_not_found_title }}</h1>
<p>{{ strings.hc_not_found_text }}</p>
<p><a class="hc-button" href="{{ hc.urls.home }}">{{ strings.hc_home }}</a></p>
</div>
{% endblock %}`

export const PAGE_TEMPLATES: Record<PageType, string> = {
  home,
  notice_list: noticeList,
  notice_detail: noticeDetail,
  faq_list: faqList,
  faq_detail: faqDetail,
  search_results: searchResults,
  inquiry_form: inquiryForm,
  inquiry_done: inquiryDone,
  inquiry_history: inquiryHistory,
  inquiry_detail: inquiryDetail,
  signin_required: signinRequired,
  not_found: notFound,
}

/** Partials the page templates include. */
export const PAGE_PARTIALS = { inquiry_field: inquiryField } as const
