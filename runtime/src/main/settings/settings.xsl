<?xml version="1.0" encoding="UTF-8"?>
<!-- One bundle's metatype (OSGI-INF/metatype/*.xml, any metatype namespace) as plain text for conf/SETTINGS.txt -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:for-each select="//*[local-name()='Designate']">
      <xsl:variable name="ref" select="*[local-name()='Object']/@ocdref"/>
      <xsl:variable name="ocd" select="//*[local-name()='OCD'][@id=$ref]"/>
      <xsl:text>&#10;</xsl:text>
      <xsl:choose>
        <xsl:when test="@factoryPid">
          <xsl:value-of select="@factoryPid"/><xsl:text>-NAME.cfg  (factory: one file per instance)</xsl:text>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="@pid"/><xsl:text>.cfg</xsl:text></xsl:otherwise>
      </xsl:choose>
      <xsl:text>: </xsl:text><xsl:value-of select="$ocd/@name"/>
      <xsl:text>&#10;  </xsl:text><xsl:value-of select="$ocd/@description"/><xsl:text>&#10;</xsl:text>
      <xsl:for-each select="$ocd/*[local-name()='AD']">
        <xsl:text>  </xsl:text><xsl:value-of select="@id"/>
        <xsl:text> = </xsl:text><xsl:value-of select="@default"/>
        <xsl:text>  (</xsl:text><xsl:value-of select="@type"/>
        <xsl:if test="@cardinality and @cardinality != '0'"><xsl:text>, several</xsl:text></xsl:if>
        <xsl:if test="@min"><xsl:text>, at least </xsl:text><xsl:value-of select="@min"/></xsl:if>
        <xsl:if test="@max"><xsl:text>, at most </xsl:text><xsl:value-of select="@max"/></xsl:if>
        <xsl:if test="*[local-name()='Option']">
          <xsl:text>, one of</xsl:text>
          <xsl:for-each select="*[local-name()='Option']"><xsl:text> </xsl:text><xsl:value-of select="@value"/></xsl:for-each>
        </xsl:if>
        <xsl:text>)&#10;      </xsl:text><xsl:value-of select="@name"/>
        <xsl:if test="@description"><xsl:text>: </xsl:text><xsl:value-of select="@description"/></xsl:if>
        <xsl:text>&#10;</xsl:text>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
