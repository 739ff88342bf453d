/**
 * The default theme's layouts and shared partials, PC and mobile: the page frame (`layout`:
 * landmarks, skip link, menus, language and layout switches), the section frame of every page
 * but home (`section`: the guide's LNB, breadcrumb and content area) and the pagination. PC and
 * mobile share the page templates and differ here: the mobile frame folds the menu into a
 * `<details>` (no script needed) and shows the section menu as a row of links.
 */

const head = `<!DOCTYPE html>
<html lang="{{ hc.language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ hc.serviceName }}{% endblock %}</title>
<link rel="canonical" href="{{ hc.canonicalUrl }}">
{% for alternate in hc.alternates %}<link rel="alternate" hreflang="{{ alternate.language }}" href="{{ alternate.url }}">
{% endfor %}{% for css in assets.css %}<link rel="stylesheet" href="{{ css }}">
{% endfor %}{% if assets.script %}<script src="{{ assets.script }}" defer></script>
{% endif %}{% for slot in hc.slots.head %}{{ slot | raw }}{% endfor %}
</head>`

const menu = `<ul class="hc-menu">
{% if hc.menus.notices %}<li><a href="{{ hc.urls.notices }}"{% if hc.currentMenu == 'notices' %} aria-current="page"{% endif %}>{{ strings.hc_menu_notices }}</a></li>{% endif %}
{% if hc.menus.faq %}<li><a href="{{ hc.urls.faq }}"{% if hc.currentMenu == 'faq' %} aria-current="page"{% endif %}>{{ strings.hc_menu_faq }}</a></li>{% endif %}
{% if hc.menus.inquiry %}<li><a href="{{ hc.urls.inquiry }}"{% if hc.currentMenu == 'inquiry' %} aria-current="page"{% endif %}>{{ strings.hc_menu_inquiry }}</a></li>{% endif %}
{% if hc.menus.inquiryHistory %}<li><a href="{{ hc.urls.inquiryHistory }}"{% if hc.currentMenu == 'history' %} aria-current="page"{% endif %}>{{ strings.hc_menu_history }}</a></li>{% endif %}
{% for item in hc.menuItems %}<li><a href="{{ item.url }}"{% if item.current %} aria-current="page"{% endif %}>{{ item.title }}</a></li>{% endfor %}
{% for item in hc.externalMenus %}<li><a href="{{ item.url }}" rel="noopener">{{ item.title }}</a></li>{% endfor %}
</ul>`

const tools = `<ul class="hc-tools">
<li>{% if visitor.signedIn %}<span class="hc-visitor">{{ visitor.displayName }}</span> <form class="hc-sign-out" method="post" action="{{ hc.urls.signOut }}"><input type="hidden" name="csrf" value="{{ csrf }}"><button type="submit">{{ strings.hc_sign_out }}</button></form>{% else %}<a href="{{ hc.urls.signIn }}">{{ strings.hc_sign_in }}</a>{% endif %}</li>
{% for lang in hc.languages %}<li><a href="{{ lang.url }}" hreflang="{{ lang.code }}" lang="{{ lang.code }}"{% if lang.current %} aria-current="true"{% endif %}>{{ lang.name }}</a></li>{% endfor %}
<li><a href="{{ hc.deviceSwitchUrl }}">{% if hc.device == 'pc' %}{{ strings.hc_view_mobile }}{% else %}{{ strings.hc_view_pc }}{% endif %}</a></li>
</ul>`

const footer = `<footer class="hc-footer">
<p>&copy; {{ hc.serviceName }}</p>
</footer>
{% for slot in hc.slots.bodyEnd %}{{ slot | raw }}{% endfor %}
</body>
</html>`

const layoutPc = `${head}
<body class="hc hc--pc">
<a class="skip-link" href="#content">{{ strings.hc_skip_to_content }}</a>
<header class="hc-header">
<a class="hc-brand" href="{{ hc.urls.home }}">{{ hc.serviceName }} {{ strings.hc_title }}</a>
<nav class="hc-nav" aria-label="{{ strings.hc_menu_label }}">
${menu}
</nav>
${tools}
</header>
<main id="content" tabindex="-1">
{% block content %}{% endblock %}
</main>
${footer}`

const layoutMobile = `${head}
<body class="hc hc--mobile">
<a class="skip-link" href="#content">{{ strings.hc_skip_to_content }}</a>
<header class="hc-header">
<a class="hc-brand" href="{{ hc.urls.home }}">{{ hc.serviceName }} {{ strings.hc_title }}</a>
<details class="hc-menu-toggle">
<summary>{{ strings.hc_menu_label }}</summary>
<nav class="hc-nav" aria-label="{{ strings.hc_menu_label }}">
${menu}
</nav>
${tools}
</details>
</header>
<main id="content" tabindex="-1">
{% block content %}{% endblock %}
</main>
${footer}`

const lnbItems = `{% if hc.menus.notices %}<li{% if hc.currentMenu == 'notices' %} class="on"{% endif %}><a href="{{ hc.urls.notices }}"{% if hc.currentMenu == 'notices' %} aria-current="page"{% endif %}>{{ strings.hc_menu_notices }}</a></li>{% endif %}
{% if hc.menus.faq %}<li{% if hc.currentMenu == 'faq' %} class="on"{% endif %}><a href="{{ hc.urls.faq }}"{% if hc.currentMenu == 'faq' %} aria-current="page"{% endif %}>{{ strings.hc_menu_faq }}</a></li>{% endif %}
{% if hc.menus.inquiry %}<li{% if hc.currentMenu == 'inquiry' %} class="on"{% endif %}><a href="{{ hc.urls.inquiry }}"{% if hc.currentMenu == 'inquiry' %} aria-current="page"{% endif %}>{{ strings.hc_menu_inquiry }}</a></li>{% endif %}
{% if hc.menus.inquiryHistory %}<li{% if hc.currentMenu == 'history' %} class="on"{% endif %}><a href="{{ hc.urls.inquiryHistory }}"{% if hc.currentMenu == 'history' %} aria-current="page"{% endif %}>{{ strings.hc_menu_history }}</a></li>{% endif %}`

const breadcrumb = `<nav aria-label="{{ strings.hc_breadcrumb_label }}"><ol class="el-breadcrumb">
<li><a href="{{ hc.urls.home }}">{{ strings.hc_home }}</a></li>
{% block breadcrumb %}{% endblock %}
</ol></nav>`

const sectionPc = `{% layout 'layout' %}{% block content %}
<div class="lnb--fixed">
<nav class="lnb--fixed__nav" aria-label="{{ strings.hc_section_menu_label }}">
<strong class="help-center-title">{{ strings.hc_title }}</strong>
<ul class="lnb__nav">
${lnbItems}
</ul>
</nav>
<div class="lnb--fixed__side-divider" aria-hidden="true"></div>
<div class="lnb--fixed__content">
${breadcrumb}
{% block section %}{% endblock %}
</div>
</div>
{% endblock %}`

const sectionMobile = `{% layout 'layout' %}{% block content %}
<div class="lnb--fixed">
<nav class="lnb--fixed__nav" aria-label="{{ strings.hc_section_menu_label }}">
<ul class="lnb__nav lnb__nav--row">
${lnbItems}
</ul>
</nav>
<div class="lnb--fixed__content">
${breadcrumb}
{% block section %}{% endblock %}
</div>
</div>
{% endblock %}`

const pagination = `{% if pagination.pages > 1 %}<nav aria-label="{{ strings.hc_pagination_label }}"><ul class="paginate">
<li class="firstPage"><a href="{{ pagination.firstUrl }}" aria-label="{{ strings.hc_page_first }}">&laquo;</a></li>
{% if pagination.prevUrl %}<li class="prev"><a href="{{ pagination.prevUrl }}" aria-label="{{ strings.hc_page_prev }}">&lsaquo;</a></li>{% endif %}
{% for n in pagination.numbers %}<li class="number{% if n.current %} active{% endif %}"><a href="{{ n.url }}"{% if n.current %} aria-current="page"{% endif %}>{{ n.number }}</a></li>{% endfor %}
{% if pagination.nextUrl %}<li class="next"><a href="{{ pagination.nextUrl }}" aria-label="{{ strings.hc_page_next }}">&rsaquo;</a></li>{% endif %}
<li class="lastPage"><a href="{{ pagination.lastUrl }}" aria-label="{{ strings.hc_page_last }}">&raquo;</a></li>
</ul></nav>{% endif %}`

/** The frame templates of each layout type; the page templates are the same for both. */
export const FRAME_TEMPLATES = {
  pc: { layout: layoutPc, section: sectionPc, pagination },
  mobile: { layout: layoutMobile, section: sectionMobile, pagination },
} as const
