"""Citizen kiosk (PySide6): tickets, 绿色通道, appointment check-in, guides, ratings, complaints."""
