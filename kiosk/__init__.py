"""The citizen kiosk: tickets, 绿色通道, appointment check-in by camera, guides, hall status,
好差评 and complaints, built for a citizen of 75 (large text, voice, idle reset).

Nothing is imported here: `hall kiosk` paints its first screen before it loads the rest."""
