<?xml version="1.0" encoding="utf-8"?>
<!-- An Atom feed of Summit dossiers, as a page a person can read: what the feed is, how to
     subscribe, and its entries. Feed readers never apply it. The page's stylesheet and
     script come from the feed's `summit-feed-page` instruction (their hashed names), as
     links: the Content Security Policy forbids inline styles and scripts. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="no"
    doctype-system="about:legacy-compat"/>

  <xsl:variable name="page" select="/processing-instruction('summit-feed-page')"/>
  <xsl:variable name="css" select="substring-before(substring-after($page, 'css=&quot;'), '&quot;')"/>
  <xsl:variable name="js" select="substring-before(substring-after($page, 'js=&quot;'), '&quot;')"/>
  <xsl:variable name="self" select="/atom:feed/atom:link[@rel='self']/@href"/>

  <xsl:template match="/atom:feed">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (feed)</title>
        <xsl:if test="$css"><link rel="stylesheet" href="{$css}"/></xsl:if>
        <xsl:if test="$js"><script src="{$js}" defer="defer"></script></xsl:if>
      </head>
      <body>
        <header class="site-header">
          <div class="wrap site-header__inner">
            <a class="brand" href="/">Summit dossiers</a>
          </div>
        </header>
        <main id="main" class="wrap feed-page">
          <p class="eyebrow">Atom feed</p>
          <h1><xsl:value-of select="atom:title"/></h1>
          <xsl:if test="atom:subtitle">
            <p class="lede"><xsl:value-of select="atom:subtitle"/></p>
          </xsl:if>
          <section class="card feed-page__subscribe" aria-labelledby="subscribe">
            <h2 id="subscribe">This is a feed: subscribe to follow it</h2>
            <p>A feed lists the latest changes; a feed reader checks it for you and shows what is
              new. Copy this address into your feed reader (any reader that takes Atom or RSS
              feeds will do):</p>
            <p class="feed-page__url"><code id="feed-url"><xsl:value-of select="$self"/></code></p>
            <p class="copy-control"><button class="button button--quiet" type="button" data-copy="feed-url" hidden="hidden">Copy the feed address</button><xsl:text> </xsl:text><span class="copy-status" data-copy-status="" role="status"></span></p>
            <p><a href="{atom:link[@rel='alternate']/@href}">Go to the page this feed follows</a></p>
          </section>
          <h2 id="entries">Latest entries</h2>
          <xsl:choose>
            <xsl:when test="atom:entry">
              <ol class="feed-page__entries">
                <xsl:apply-templates select="atom:entry"/>
              </ol>
            </xsl:when>
            <xsl:otherwise><p class="empty">Nothing published here yet.</p></xsl:otherwise>
          </xsl:choose>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li class="feed-entry">
      <h3 class="feed-entry__title">
        <a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a>
      </h3>
      <p class="meta">
        <time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time>
        <xsl:if test="atom:author/atom:name">
          <xsl:text> · </xsl:text><xsl:value-of select="atom:author/atom:name"/>
        </xsl:if>
      </p>
      <!-- The summary is HTML the site rendered and sanitised (issues/markdown.py). -->
      <div class="feed-entry__summary prose">
        <xsl:value-of select="atom:summary" disable-output-escaping="yes"/>
      </div>
    </li>
  </xsl:template>
</xsl:stylesheet>
